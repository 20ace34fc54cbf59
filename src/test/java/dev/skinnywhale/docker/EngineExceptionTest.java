package dev.skinnywhale.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.EngineException.Kind;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EngineExceptionTest {
  @Test
  void testOfStatus_byStatusClass() {
    assertEquals(Kind.NOT_MODIFIED, Kind.ofStatus(304));
    assertEquals(Kind.BAD_REQUEST, Kind.ofStatus(400));
    assertEquals(Kind.REFUSED, Kind.ofStatus(401));
    assertEquals(Kind.REFUSED, Kind.ofStatus(403));
    assertEquals(Kind.NOT_FOUND, Kind.ofStatus(404));
    assertEquals(Kind.REFUSED, Kind.ofStatus(406));
    assertEquals(Kind.CONFLICT, Kind.ofStatus(409));
    assertEquals(Kind.SERVER, Kind.ofStatus(500));
    assertEquals(Kind.SERVER, Kind.ofStatus(503));
    assertEquals(Kind.OTHER, Kind.ofStatus(302));
  }

  @Test
  void testConstructor_messageOnlyIsOtherWithoutStatus() {
    EngineException e = new EngineException("exporting x: not found");
    assertEquals(Kind.OTHER, e.kind());
    assertEquals(OptionalInt.empty(), e.status());
    assertEquals("exporting x: not found", e.getMessage());
  }

  @Test
  void testConstructor_statusKept() {
    EngineException e = new EngineException(Kind.CONFLICT, 409, "killing: not running", null);
    assertTrue(e.is(Kind.CONFLICT));
    assertEquals(OptionalInt.of(409), e.status());
  }

  @Test
  void testConstructor_notAStatus() {
    assertThrows(
        IllegalArgumentException.class, () -> new EngineException(Kind.SERVER, 42, "x", null));
  }

  @Test
  void testUnavailable_isOfKindUnavailable() {
    EngineException e = new EngineUnavailableException("cannot reach", null);
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals(OptionalInt.empty(), e.status());
  }
}
