package dev.skinnywhale.workflow.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The serve's answers are read frame by frame, exactly to their end frame, strictly. */
class HelperSessionAnswerTest {
  @Test
  void read_dataFramesUpToTheEndFrame_theNextAnswerLeftUnread() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    frame(wire, 'D', bytes("first "));
    frame(wire, 'D', bytes("answer"));
    end(wire, 1);
    frame(wire, 'D', bytes("second"));
    end(wire, 0);
    InputStream in = new ByteArrayInputStream(wire.toByteArray());
    HelperSession.Answer first = new HelperSession.Answer(in);
    assertArrayEquals(bytes("first answer"), first.readAllBytes());
    assertEquals(1, first.status);
    assertEquals(-1, first.read());
    HelperSession.Answer second = new HelperSession.Answer(in);
    assertArrayEquals(bytes("second"), second.readAllBytes());
    assertEquals(0, second.status);
    assertEquals(-1, in.read(), "read past the second answer");
  }

  @Test
  void read_anEmptyDataFrameAndALengthWithTheTopBitSet() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    frame(wire, 'D', new byte[0]);
    end(wire, 0xffff_ffffL);
    HelperSession.Answer a = new HelperSession.Answer(new ByteArrayInputStream(wire.toByteArray()));
    assertEquals(0, a.readAllBytes().length);
    assertEquals(0xffff_ffffL, a.status);
  }

  @Test
  void read_cutShortOrMalformed_anIOException() {
    ByteArrayOutputStream noEnd = new ByteArrayOutputStream();
    frame(noEnd, 'D', bytes("data"));
    assertThrows(IOException.class, () -> answer(noEnd.toByteArray()).readAllBytes());

    ByteArrayOutputStream inFrame = new ByteArrayOutputStream();
    frame(inFrame, 'D', bytes("data"));
    byte[] cut = java.util.Arrays.copyOf(inFrame.toByteArray(), 10);
    assertThrows(IOException.class, () -> answer(cut).readAllBytes());

    byte[] halfHeader = {'E', 0, 0};
    assertThrows(IOException.class, () -> answer(halfHeader).readAllBytes());

    byte[] kind = {'X', 0, 0, 0, 0, 0, 0, 0};
    assertThrows(IOException.class, () -> answer(kind).readAllBytes());

    byte[] padding = {'D', 1, 0, 0, 0, 0, 0, 1, 'x'};
    assertThrows(IOException.class, () -> answer(padding).readAllBytes());
  }

  private static HelperSession.Answer answer(byte[] wire) {
    return new HelperSession.Answer(new ByteArrayInputStream(wire));
  }

  private static void frame(ByteArrayOutputStream out, char kind, byte[] data) {
    header(out, kind, data.length);
    out.writeBytes(data);
  }

  private static void end(ByteArrayOutputStream out, long status) {
    header(out, 'E', status);
  }

  private static void header(ByteArrayOutputStream out, char kind, long n) {
    out.writeBytes(
        new byte[] {
          (byte) kind, 0, 0, 0, (byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n
        });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
