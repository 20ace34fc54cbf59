package dev.skinnywhale.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What one ELF file may make the reader decode is bounded by its size, with the limit named. */
class ElfReaderBudgetTest {
  private static final Duration FAST = Duration.ofSeconds(10);

  @Test
  void read_aMillionDtNeeded_refusedNamingTheLimit() {
    byte[] elf = HostileElf.manyNeeded(1_000_000, false);
    ElfFormatException e =
        assertTimeoutPreemptively(
            FAST,
            () ->
                assertThrows(
                    ElfFormatException.class, () -> new ElfReader().read(ByteBuffer.wrap(elf))));
    assertEquals(
        "dynamic section at offset 0xb0: more than 4096 DT_NEEDED entries, the limit",
        e.getMessage());
  }

  @Test
  void read_dtNeededAtTheLimit_read() throws ElfFormatException {
    ElfInfo info =
        new ElfReader().read(ByteBuffer.wrap(HostileElf.manyNeeded(ElfReader.MAX_NEEDED, true)));
    assertEquals(ElfReader.MAX_NEEDED, info.needed().size());
    assertEquals(ElfReader.MAX_NEEDED, info.needed().get(0).length());
  }

  @Test
  void stringTable_oneLongStringReadOverAndOver_stopsAtTheBudget() throws ElfFormatException {
    byte[] bytes = new byte[1001];
    java.util.Arrays.fill(bytes, 0, 1000, (byte) 'a');
    ElfBytes r = new ElfBytes(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), true);
    StringTable table = new StringTable(0, bytes.length);
    long budget = StringTable.MIN_BUDGET + 2 * bytes.length;
    for (long i = 0; i < budget / 1000; i++) {
      assertEquals(1000, table.get(r, 0, "name").length());
    }
    ElfFormatException e = assertThrows(ElfFormatException.class, () -> table.get(r, 0, "name"));
    assertEquals(
        "name: the strings read from the string table at offset 0x0 pass the limit of 16779218"
            + " bytes",
        e.getMessage());
    assertEquals(0, table.get(r, 1000, "empty name").length());
  }
}
