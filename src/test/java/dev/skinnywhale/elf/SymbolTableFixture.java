package dev.skinnywhale.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The dynamic symbol table of an {@link ElfFixture} and the hash tables that give its length, laid
 * out as GNU ld does: the null symbol, the unhashed (undefined) symbols, then the defined ones
 * sorted by GNU hash bucket.
 */
final class SymbolTableFixture {
  /** Which hash tables the dynamic section points to. */
  enum HashStyle {
    GNU,
    SYSV,
    BOTH,
    NONE
  }

  /** A symbol to emit. */
  record Sym(String name, boolean defined, int bind, int type) {}

  static final int GNU_BUCKETS = 3;
  static final int SYSV_BUCKETS = 3;

  private SymbolTableFixture() {}

  /** The symbols in table order (index 0, the null symbol, is not in the list). */
  static List<Sym> ordered(List<Sym> symbols) {
    List<Sym> out = new ArrayList<>();
    symbols.stream().filter(s -> !s.defined()).forEach(out::add);
    symbols.stream()
        .filter(Sym::defined)
        .sorted(
            Comparator.comparingLong(s -> Integer.toUnsignedLong(gnuHash(s.name())) % GNU_BUCKETS))
        .forEach(out::add);
    return out;
  }

  /** Index of the first hashed symbol: 1 (the null symbol) plus the undefined ones. */
  static int symoffset(List<Sym> ordered) {
    return 1 + (int) ordered.stream().filter(s -> !s.defined()).count();
  }

  static byte[] symtab(List<Sym> ordered, List<Long> nameIndexes, boolean wide, ByteOrder order) {
    int ent = wide ? 24 : 16;
    ByteBuffer b = ByteBuffer.allocate((ordered.size() + 1) * ent).order(order);
    for (int i = 0; i < ordered.size(); i++) {
      Sym s = ordered.get(i);
      int at = (i + 1) * ent;
      int info = (s.bind() << 4) | s.type();
      short shndx = (short) (s.defined() ? 7 : 0);
      long value = s.defined() ? 0x1000L + 16L * i : 0;
      if (wide) {
        b.putInt(at, nameIndexes.get(i).intValue());
        b.put(at + 4, (byte) info).put(at + 5, (byte) 0).putShort(at + 6, shndx);
        b.putLong(at + 8, value).putLong(at + 16, s.defined() ? 16 : 0);
      } else {
        b.putInt(at, nameIndexes.get(i).intValue());
        b.putInt(at + 4, (int) value).putInt(at + 8, s.defined() ? 16 : 0);
        b.put(at + 12, (byte) info).put(at + 13, (byte) 0).putShort(at + 14, shndx);
      }
    }
    return b.array();
  }

  /** DT_GNU_HASH: header, one bloom word, the buckets, one chain entry per hashed symbol. */
  static byte[] gnuHash(List<Sym> ordered, boolean wide, ByteOrder order) {
    int symoffset = symoffset(ordered);
    List<Sym> hashed = ordered.subList(symoffset - 1, ordered.size());
    int word = wide ? 8 : 4;
    ByteBuffer b =
        ByteBuffer.allocate(16 + word + 4 * GNU_BUCKETS + 4 * hashed.size()).order(order);
    b.putInt(0, GNU_BUCKETS).putInt(4, symoffset).putInt(8, 1).putInt(12, 6);
    if (wide) {
      b.putLong(16, -1L);
    } else {
      b.putInt(16, -1);
    }
    int buckets = 16 + word;
    int chains = buckets + 4 * GNU_BUCKETS;
    for (int i = 0; i < hashed.size(); i++) {
      long h = Integer.toUnsignedLong(gnuHash(hashed.get(i).name()));
      int bucket = (int) (h % GNU_BUCKETS);
      if (b.getInt(buckets + 4 * bucket) == 0) {
        b.putInt(buckets + 4 * bucket, symoffset + i);
      }
      boolean last =
          i + 1 == hashed.size()
              || Integer.toUnsignedLong(gnuHash(hashed.get(i + 1).name())) % GNU_BUCKETS != bucket;
      b.putInt(chains + 4 * i, (int) (last ? h | 1 : h & ~1L));
    }
    return b.array();
  }

  /** DT_HASH: nbucket, nchain (every symbol, the null one included), buckets, chains. */
  static byte[] sysvHash(List<Sym> ordered, ByteOrder order) {
    int nchain = ordered.size() + 1;
    ByteBuffer b = ByteBuffer.allocate(8 + 4 * SYSV_BUCKETS + 4 * nchain).order(order);
    b.putInt(0, SYSV_BUCKETS).putInt(4, nchain);
    int buckets = 8;
    int chains = buckets + 4 * SYSV_BUCKETS;
    for (int i = ordered.size(); i >= 1; i--) {
      int bucket =
          (int) (Integer.toUnsignedLong(elfHash(ordered.get(i - 1).name())) % SYSV_BUCKETS);
      b.putInt(chains + 4 * i, b.getInt(buckets + 4 * bucket));
      b.putInt(buckets + 4 * bucket, i);
    }
    return b.array();
  }

  /** glibc's dl_new_hash. */
  static int gnuHash(String name) {
    int h = 5381;
    for (char c : name.toCharArray()) {
      h = h * 33 + (c & 0xFF);
    }
    return h;
  }

  /** The SysV ELF hash. */
  static int elfHash(String name) {
    int h = 0;
    for (char c : name.toCharArray()) {
      h = (h << 4) + (c & 0xFF);
      int g = h & 0xf0000000;
      if (g != 0) {
        h ^= g >>> 24;
      }
      h &= ~g;
    }
    return h;
  }
}
