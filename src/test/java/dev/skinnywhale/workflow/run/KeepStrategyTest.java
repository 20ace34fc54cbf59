package dev.skinnywhale.workflow.run;

import static dev.skinnywhale.workflow.run.KeepStrategy.CHANGES;
import static dev.skinnywhale.workflow.run.KeepStrategy.TRACED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one place the default keep strategy is decided. */
class KeepStrategyTest {
  @Test
  void choose_asked_winsWhateverTheSource() {
    for (KeepStrategy asked : KeepStrategy.values()) {
      for (Source.Kind kind : Source.Kind.values()) {
        for (boolean traced : new boolean[] {false, true}) {
          for (boolean profiles : new boolean[] {false, true}) {
            assertEquals(
                asked,
                KeepStrategy.choose(Optional.of(asked), kind, traced, profiles),
                asked + " " + kind + " traced=" + traced + " profiles=" + profiles);
          }
        }
      }
    }
  }

  @Test
  void choose_container_changeSetEvenWhenTracedOrProfiled() {
    assertEquals(
        CHANGES, KeepStrategy.choose(Optional.empty(), Source.Kind.CONTAINER, false, false));
    assertEquals(
        CHANGES, KeepStrategy.choose(Optional.empty(), Source.Kind.CONTAINER, true, false));
    assertEquals(
        CHANGES, KeepStrategy.choose(Optional.empty(), Source.Kind.CONTAINER, false, true));
    assertEquals(CHANGES, KeepStrategy.choose(Optional.empty(), Source.Kind.CONTAINER, true, true));
  }

  @Test
  void choose_image_tracedOrProfiledKeepsOnlyThat() {
    assertEquals(TRACED, KeepStrategy.choose(Optional.empty(), Source.Kind.IMAGE, true, false));
    assertEquals(TRACED, KeepStrategy.choose(Optional.empty(), Source.Kind.IMAGE, false, true));
    assertEquals(TRACED, KeepStrategy.choose(Optional.empty(), Source.Kind.IMAGE, true, true));
  }

  @Test
  void choose_imageWithNeitherTraceNorProfile_everything() {
    assertEquals(CHANGES, KeepStrategy.choose(Optional.empty(), Source.Kind.IMAGE, false, false));
  }
}
