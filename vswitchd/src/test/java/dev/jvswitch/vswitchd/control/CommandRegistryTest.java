package dev.jvswitch.vswitchd.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Dispatch: unknown commands and wrong argument counts never reach a handler. */
class CommandRegistryTest {
    private final CommandRegistry registry = new CommandRegistry();

    CommandRegistryTest() {
        registry.register("fdb/show", "BRIDGE", 1, 1, "mac table", args -> Reply.text("shown " + args.get(0)));
    }

    @Test
    void dispatchesWithItsArguments() throws CommandException {
        assertThat(registry.dispatch("fdb/show", List.of("br0")).text()).isEqualTo("shown br0\n");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThatThrownBy(() -> registry.dispatch("fdb/shwo", List.of()))
                .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.usage()).isTrue())
                .hasMessage("unknown command 'fdb/shwo'; 'list-commands' shows them all");
    }

    @Test
    void argumentCountsAreChecked() {
        assertThatThrownBy(() -> registry.dispatch("fdb/show", List.of()))
                .hasMessage("fdb/show: missing arguments (usage: fdb/show BRIDGE)");
        assertThatThrownBy(() -> registry.dispatch("fdb/show", List.of("br0", "br1")))
                .hasMessage("fdb/show: too many arguments (usage: fdb/show BRIDGE)");
    }

    @Test
    void aNameIsRegisteredOnce() {
        assertThatThrownBy(() -> registry.register("fdb/show", "", 0, 0, "again", args -> Reply.text("")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
