package dev.jvswitch.ofproto.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;

class GroupTest {
    private static final Bucket B0 = Bucket.of(0, List.of(new OfAction.Output(1)));
    private static final Bucket B1 = new Bucket(1, 10, 2, Bucket.WATCH_NONE, List.of(new OfAction.Output(2)));

    @Test
    void selectGroupWithHashFields() {
        Group g = new Group(1, GroupType.SELECT, SelectionMethod.HASH, List.of(FlowField.NW_SRC), 0, List.of(B0, B1));
        assertThat(g.totalWeight()).isEqualTo(11);
        assertThat(g.buckets().get(1).watchesPort()).isTrue();
    }

    @Test
    void invalidGroupsAreRefused() {
        assertThatThrownBy(() -> Group.of(1, GroupType.INDIRECT, List.of(B0, B1)))
                .hasMessage("group 1: type=indirect needs exactly one bucket, has 2");
        assertThatThrownBy(() -> new Group(1, GroupType.ALL, SelectionMethod.DP_HASH, List.of(), 0, List.of(B0)))
                .hasMessage("group 1: selection_method needs type=select");
        assertThatThrownBy(() -> new Group(1, GroupType.SELECT, SelectionMethod.HASH, List.of(), 0, List.of(B0)))
                .hasMessage("group 1: fields() go with selection_method=hash, which needs at least one");
        assertThatThrownBy(() -> Group.of(1, GroupType.ALL, List.of(B0, B0)))
                .hasMessage("group 1: duplicate bucket_id 0");
    }
}
