/**
 * ovs-ofctl flow and group strings: {@code FlowSyntax} and {@code GroupSyntax} parse and print
 * them; every error is a one-line {@code SyntaxException} naming token and column.
 */
package dev.jvswitch.ofproto.syntax;
