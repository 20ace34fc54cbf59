package dev.skinnywhale.elf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;

/**
 * Library names among the string literals of an object's read-only data: what a program that
 * imports {@code dlopen} may pass to it ({@code dlopen("liblz4.so.1", ...)}). A literal is a run of
 * {@code [A-Za-z0-9._+/-]} between two NUL bytes in a PT_LOAD segment without PF_W, outside the
 * dynamic string table and PT_INTERP (whose names the loader itself reads), that is a bare file
 * name {@code NAME.so} or {@code NAME.so.N[.N...]} of at most {@value #MAX_NAME} bytes, or an
 * absolute path ending in one. At most {@value #MAX_LITERALS} distinct names are collected per
 * object.
 *
 * <p>These are candidates only: nothing says the program passes them to dlopen, so the caller keeps
 * the ones the image has.
 */
final class LibraryLiterals {
  static final int MAX_LITERALS = 128;
  static final int MAX_NAME = 255;
  static final int MAX_PATH = 1024;

  private LibraryLiterals() {}

  /** A file range the scan skips: [start, end). */
  record Range(long start, long end) {
    boolean contains(long at) {
      return at >= start && at < end;
    }
  }

  static List<String> scan(ElfBytes r, LoadSegments loads, List<Range> skipped) {
    TreeSet<String> out = new TreeSet<>();
    for (LoadSegments.Segment seg : loads.all()) {
      if (seg.writable() || seg.offset() < 0 || seg.offset() >= r.size || seg.filesz() <= 0) {
        continue;
      }
      long end = seg.filesz() > r.size - seg.offset() ? r.size : seg.offset() + seg.filesz();
      long runStart = -1;
      // A run that does not start right after a NUL (the tail of "%s/libfoo.so") or grows too
      // long to be a name is skipped up to the next break.
      boolean skipping = false;
      for (long i = seg.offset(); i < end && out.size() < MAX_LITERALS; i++) {
        int b = r.buf.get((int) i) & 0xFF;
        if (isNameByte(b)) {
          if (runStart < 0 && !skipping) {
            if (i == seg.offset() || r.buf.get((int) i - 1) == 0) {
              runStart = i;
            } else {
              skipping = true;
            }
          } else if (runStart >= 0 && i - runStart >= MAX_PATH) {
            runStart = -1;
            skipping = true;
          }
          continue;
        }
        if (b == 0 && runStart >= 0 && i - runStart >= 4 && !isSkipped(runStart, skipped)) {
          byte[] bytes = new byte[(int) (i - runStart)];
          r.buf.get((int) runStart, bytes);
          String s = new String(bytes, StandardCharsets.ISO_8859_1);
          if (isLibraryName(s)) {
            out.add(s);
          }
        }
        runStart = -1;
        skipping = false;
      }
    }
    return List.copyOf(out);
  }

  private static boolean isSkipped(long at, List<Range> skipped) {
    for (Range range : skipped) {
      if (range.contains(at)) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of {@code [A-Za-z0-9._+/-]}: a table, for the scan looks at every byte. */
  private static final boolean[] NAME_BYTES = new boolean[256];

  static {
    for (int b = 0; b < 256; b++) {
      NAME_BYTES[b] =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '.'
              || b == '_'
              || b == '+'
              || b == '-'
              || b == '/';
    }
  }

  private static boolean isNameByte(int b) {
    return NAME_BYTES[b];
  }

  /** {@code NAME.so[.N...]}, bare or as the last component of an absolute path. */
  static boolean isLibraryName(String s) {
    String name = s;
    if (s.indexOf('/') >= 0) {
      if (!s.startsWith("/") || s.endsWith("/") || s.length() > MAX_PATH) {
        return false;
      }
      name = s.substring(s.lastIndexOf('/') + 1);
    }
    if (name.length() > MAX_NAME || name.startsWith(".") || name.startsWith("-")) {
      return false;
    }
    int so = name.lastIndexOf(".so");
    while (so > 0) {
      if (versionSuffix(name, so + 3)) {
        return true;
      }
      so = name.lastIndexOf(".so", so - 1);
    }
    return false;
  }

  /** Whether {@code name} from {@code at} on is empty or {@code (.DIGITS)+}. */
  private static boolean versionSuffix(String name, int at) {
    int i = at;
    while (i < name.length()) {
      if (name.charAt(i) != '.' || i + 1 >= name.length()) {
        return false;
      }
      int digits = i + 1;
      while (digits < name.length() && Character.isDigit(name.charAt(digits))) {
        digits++;
      }
      if (digits == i + 1) {
        return false;
      }
      i = digits;
    }
    return true;
  }
}
