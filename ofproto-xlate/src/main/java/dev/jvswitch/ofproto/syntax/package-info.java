/**
 * ovs-ofctl flow and group strings: one producer of the flow-mod model ({@code dev.jvswitch.ofproto.mod})
 * and one printer of its dumps. {@code FlowSyntax} turns {@code add-flow}, {@code mod-flows} and
 * {@code del-flows} text into {@code FlowMod}s and prints {@code FlowMod}s and {@code FlowStats};
 * {@code GroupSyntax} does the same for groups. Every error is a one-line
 * {@code SyntaxException} naming token and column.
 *
 * <p>Floor: imports the model and what it is made of ({@code mod}, {@code match}, {@code action},
 * {@code group}, {@code port}); never the tables or the façade.
 */
package dev.jvswitch.ofproto.syntax;
