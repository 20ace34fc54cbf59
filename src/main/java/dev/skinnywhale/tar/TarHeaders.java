package dev.skinnywhale.tar;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The fields of a 512-byte tar header and of PAX records, decoded distrustfully: octal and base-256
 * numbers range-checked, strings cut at NUL inside their field and decoded as ISO-8859-1, PAX
 * record lengths checked against the data.
 */
final class TarHeaders {
  static final int BLOCK = 512;

  private TarHeaders() {}

  /** PAX records "len key=value\n"; values kept as bytes (ISO-8859-1). */
  static void parsePax(byte[] data, long headerPos, Map<String, String> into)
      throws TarFormatException {
    int p = 0;
    while (p < data.length) {
      if (data[p] == 0) {
        break; // NUL padding some writers leave
      }
      int sp = p;
      while (sp < data.length && data[sp] != ' ') {
        sp++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, p, sp - p, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new TarFormatException("bad PAX record length at offset " + headerPos);
      }
      if (len <= sp - p + 1 || p + len > data.length || data[p + len - 1] != '\n') {
        throw new TarFormatException("bad PAX record at offset " + headerPos);
      }
      String record = new String(data, sp + 1, p + len - 1 - (sp + 1), StandardCharsets.ISO_8859_1);
      int eq = record.indexOf('=');
      if (eq <= 0) {
        throw new TarFormatException("PAX record without key at offset " + headerPos);
      }
      into.put(record.substring(0, eq), record.substring(eq + 1));
      p += len;
    }
  }

  static Instant paxTime(String value, long headerPos) throws TarFormatException {
    try {
      BigDecimal v = new BigDecimal(value);
      BigDecimal secs = v.setScale(0, RoundingMode.FLOOR);
      long nanos = v.subtract(secs).movePointRight(9).setScale(0, RoundingMode.DOWN).longValue();
      return Instant.ofEpochSecond(secs.longValueExact(), nanos);
    } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
      throw new TarFormatException("bad PAX time \"" + value + "\" at offset " + headerPos);
    }
  }

  static long decimal(String value, long headerPos, String key) throws TarFormatException {
    try {
      long v = Long.parseLong(value);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new TarFormatException("bad PAX " + key + " \"" + value + "\" at offset " + headerPos);
    }
  }

  /** An octal field (space/NUL terminated) or a base-256 one (high bit of the first byte set). */
  static long number(ByteBuffer h, int off, int len, long headerPos, String field)
      throws TarFormatException {
    int first = h.get(off) & 0xff;
    if ((first & 0x80) != 0) {
      long v = (first & 0x40) != 0 ? -1 : 0; // sign from bit 6
      v = (v << 6) | (first & 0x3f);
      for (int i = 1; i < len; i++) {
        if (v > (Long.MAX_VALUE >> 8) || v < (Long.MIN_VALUE >> 8)) {
          throw new TarFormatException(field + " out of range at offset " + headerPos);
        }
        v = (v << 8) | (h.get(off + i) & 0xff);
      }
      return v;
    }
    int i = off;
    int end = off + len;
    while (i < end && (h.get(i) == ' ' || h.get(i) == 0)) {
      i++;
    }
    long v = 0;
    for (; i < end; i++) {
      byte c = h.get(i);
      if (c == ' ' || c == 0) {
        break;
      }
      if (c < '0' || c > '7') {
        throw new TarFormatException("bad octal " + field + " at offset " + headerPos);
      }
      v = v * 8 + (c - '0');
    }
    return v;
  }

  /** A NUL-terminated string field of the header. */
  static String header(ByteBuffer h, int off, int len) {
    return cstring(h.duplicate().position(off).limit(off + len).slice());
  }

  static String cstring(ByteBuffer b) {
    int n = 0;
    while (n < b.remaining() && b.get(b.position() + n) != 0) {
      n++;
    }
    byte[] out = new byte[n];
    b.duplicate().get(out);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  static boolean isPosixUstar(ByteBuffer h) {
    return h.get(257) == 'u'
        && h.get(258) == 's'
        && h.get(259) == 't'
        && h.get(260) == 'a'
        && h.get(261) == 'r'
        && h.get(262) == 0;
  }

  static boolean isZero(ByteBuffer h) {
    for (int i = 0; i < BLOCK; i++) {
      if (h.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  static void verifyChecksum(ByteBuffer h, long headerPos) throws TarFormatException {
    long stored = number(h, 148, 8, headerPos, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : h.get(i);
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : (byte) b;
    }
    if (stored != unsigned && stored != signed) {
      throw new TarFormatException("bad header checksum at offset " + headerPos);
    }
  }
}
