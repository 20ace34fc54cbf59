package dev.skinnywhale.workflow.run;

import static dev.skinnywhale.workflow.run.KeepStrategy.CHANGES;
import static dev.skinnywhale.workflow.run.KeepStrategy.PACKAGES;
import static dev.skinnywhale.workflow.run.KeepStrategy.TRACED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one place the default keep strategy is decided. */
class KeepStrategyTest {
  @Test
  void choose_askedForWins_whatever_theInputAndTheUseCase() {
    for (KeepStrategy asked : KeepStrategy.values()) {
      for (Source.Kind kind : Source.Kind.values()) {
        for (KeepStrategy.Use use : KeepStrategy.Use.values()) {
          for (boolean profiles : new boolean[] {false, true}) {
            assertEquals(
                asked,
                KeepStrategy.choose(Optional.of(asked), kind, use, profiles),
                asked + " " + kind + " " + use + " profiles=" + profiles);
          }
        }
      }
    }
  }

  @Test
  void choose_traceAndBuild_packagesByDefault() {
    for (Source.Kind kind : Source.Kind.values()) {
      for (boolean profiles : new boolean[] {false, true}) {
        assertEquals(
            PACKAGES,
            KeepStrategy.choose(Optional.empty(), kind, KeepStrategy.Use.TRACE, profiles));
        assertEquals(
            PACKAGES,
            KeepStrategy.choose(Optional.empty(), kind, KeepStrategy.Use.BUILD, profiles));
      }
    }
  }

  @Test
  void choose_plainSlimOfAContainer_changeSetEvenWithProfiles() {
    assertEquals(
        CHANGES,
        KeepStrategy.choose(Optional.empty(), Source.Kind.CONTAINER, KeepStrategy.Use.SLIM, false));
    assertEquals(
        CHANGES,
        KeepStrategy.choose(Optional.empty(), Source.Kind.CONTAINER, KeepStrategy.Use.SLIM, true));
  }

  @Test
  void choose_plainSlimOfAnImage_onlyWhatProfilesNameElseEverything() {
    assertEquals(
        TRACED,
        KeepStrategy.choose(Optional.empty(), Source.Kind.IMAGE, KeepStrategy.Use.SLIM, true));
    assertEquals(
        CHANGES,
        KeepStrategy.choose(Optional.empty(), Source.Kind.IMAGE, KeepStrategy.Use.SLIM, false));
  }
}
