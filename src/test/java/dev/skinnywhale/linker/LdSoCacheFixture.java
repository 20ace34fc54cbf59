package dev.skinnywhale.linker;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds ld.so.cache files as ldconfig writes them: the new format ("glibc-ld.so.cache1.1"), the
 * old format ("ld.so-1.7.0"), or the old one followed by the new one (ldconfig's compat format).
 */
public final class LdSoCacheFixture {
  public static final int X86_64 = 0x303;
  public static final int I386 = 0x3;
  public static final int AARCH64 = 0xa03;

  private final List<LdSoCache.Entry> entries = new ArrayList<>();
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  public LdSoCacheFixture add(String name, String path, int flags) {
    return add(name, path, flags, 0);
  }

  public LdSoCacheFixture add(String name, String path, int flags, long hwcap) {
    entries.add(new LdSoCache.Entry(name, path, flags, hwcap));
    return this;
  }

  public LdSoCacheFixture order(ByteOrder o) {
    this.order = o;
    return this;
  }

  /** New format only (glibc ≥ 2.32 default). */
  public byte[] newFormat() {
    return newPart();
  }

  /** Old format only (no embedded new format). */
  public byte[] oldFormat() {
    int entriesEnd = LdSoCache.OLD_HEADER + entries.size() * LdSoCache.OLD_ENTRY;
    Strings strings = new Strings();
    int[][] offsets = new int[entries.size()][2];
    for (int i = 0; i < entries.size(); i++) {
      offsets[i][0] = strings.add(entries.get(i).name());
      offsets[i][1] = strings.add(entries.get(i).path());
    }
    byte[] table = strings.bytes();
    ByteBuffer b = ByteBuffer.allocate(entriesEnd + table.length).order(order);
    b.put(0, LdSoCache.MAGIC_OLD.getBytes(StandardCharsets.ISO_8859_1));
    b.putInt(12, entries.size());
    for (int i = 0; i < entries.size(); i++) {
      int at = LdSoCache.OLD_HEADER + i * LdSoCache.OLD_ENTRY;
      b.putInt(at, entries.get(i).flags()).putInt(at + 4, offsets[i][0]);
      b.putInt(at + 8, offsets[i][1]);
    }
    b.put(entriesEnd, table);
    return b.array();
  }

  /**
   * The compat layout: old header and entries (their string offsets relative to the end of the old
   * entries), padding to 8, then the new format, with one shared string table at the end.
   */
  public byte[] compatFormat() {
    int oldEntriesEnd = LdSoCache.OLD_HEADER + entries.size() * LdSoCache.OLD_ENTRY;
    int newAt = (oldEntriesEnd + 7) & ~7;
    byte[] newPart = newPart();
    // newPart's string offsets are relative to newAt; old ones relative to oldEntriesEnd.
    ByteBuffer b = ByteBuffer.allocate(newAt + newPart.length).order(order);
    b.put(0, LdSoCache.MAGIC_OLD.getBytes(StandardCharsets.ISO_8859_1));
    b.putInt(12, entries.size());
    b.put(newAt, newPart);
    ByteBuffer n = ByteBuffer.wrap(newPart).order(order);
    for (int i = 0; i < entries.size(); i++) {
      int nat = LdSoCache.NEW_HEADER + i * LdSoCache.NEW_ENTRY;
      int delta = newAt - oldEntriesEnd;
      int at = LdSoCache.OLD_HEADER + i * LdSoCache.OLD_ENTRY;
      b.putInt(at, entries.get(i).flags());
      b.putInt(at + 4, n.getInt(nat + 4) + delta);
      b.putInt(at + 8, n.getInt(nat + 8) + delta);
    }
    return b.array();
  }

  private byte[] newPart() {
    int entriesEnd = LdSoCache.NEW_HEADER + entries.size() * LdSoCache.NEW_ENTRY;
    Strings strings = new Strings();
    int[][] offsets = new int[entries.size()][2];
    for (int i = 0; i < entries.size(); i++) {
      offsets[i][0] = entriesEnd + strings.add(entries.get(i).name());
      offsets[i][1] = entriesEnd + strings.add(entries.get(i).path());
    }
    byte[] table = strings.bytes();
    ByteBuffer b = ByteBuffer.allocate(entriesEnd + table.length).order(order);
    b.put(0, LdSoCache.MAGIC_NEW.getBytes(StandardCharsets.ISO_8859_1));
    b.putInt(20, entries.size());
    b.putInt(24, table.length);
    b.put(28, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 2 : 3));
    for (int i = 0; i < entries.size(); i++) {
      int at = LdSoCache.NEW_HEADER + i * LdSoCache.NEW_ENTRY;
      LdSoCache.Entry e = entries.get(i);
      b.putInt(at, e.flags()).putInt(at + 4, offsets[i][0]).putInt(at + 8, offsets[i][1]);
      b.putLong(at + 16, e.hwcap());
    }
    b.put(entriesEnd, table);
    return b.array();
  }

  private static final class Strings {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int add(String s) {
      int at = out.size();
      out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
      out.write(0);
      return at;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
