package dev.skinnywhale.tar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds tar bytes header by header, including malformed ones, for reader tests. */
class RawTar {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A ustar header with the given raw name bytes, type, size and link name, then the data. */
  RawTar entry(byte[] name, char type, byte[] data, String link) {
    byte[] h = new byte[512];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, data.length);
    octal(h, 136, 12, 1_700_000_000L);
    h[156] = (byte) type;
    byte[] l = link.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(l, 0, h, 157, l.length);
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.writeBytes(h);
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return this;
  }

  RawTar entry(String name, char type, String data, String link) {
    return entry(
        name.getBytes(StandardCharsets.ISO_8859_1),
        type,
        data.getBytes(StandardCharsets.ISO_8859_1),
        link);
  }

  /** A PAX extended header with one record whose value is raw bytes. */
  RawTar pax(String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.ISO_8859_1);
    int rest = k.length + value.length + 3;
    int len = rest + Integer.toString(rest).length();
    if (Integer.toString(len).length() != Integer.toString(rest).length()) {
      len = rest + Integer.toString(len).length();
    }
    ByteArrayOutputStream rec = new ByteArrayOutputStream();
    rec.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
    rec.writeBytes(k);
    rec.write('=');
    rec.writeBytes(value);
    rec.write('\n');
    return entry("PaxHeaders.0/x".getBytes(StandardCharsets.US_ASCII), 'x', rec.toByteArray(), "");
  }

  RawTar end() {
    out.writeBytes(new byte[1024]);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private static void octal(byte[] h, int off, int width, long v) {
    String s = Long.toOctalString(v);
    s = "0".repeat(width - 1 - s.length()) + s;
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, width - 1);
  }
}
