package dev.jvswitch.vswitchd.control;

/**
 * What a command answers: text for people (as the OVS command of the same name prints it) and,
 * where the command has structure worth keeping, the same as JSON-able data ({@code jvsctl
 * --json} prints it; without data it prints {@code {"output": text}}).
 *
 * @param text output text, ending in a newline unless empty
 * @param data maps, lists, strings, numbers, or null
 */
public record Reply(String text, Object data) {
    public static Reply text(String text) {
        return new Reply(text.isEmpty() || text.endsWith("\n") ? text : text + "\n", null);
    }

    public static Reply of(String text, Object data) {
        return new Reply(text.isEmpty() || text.endsWith("\n") ? text : text + "\n", data);
    }
}
