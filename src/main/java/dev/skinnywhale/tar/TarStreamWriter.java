package dev.skinnywhale.tar;

import dev.skinnywhale.rootfs.NodeMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a POSIX (PAX) tar stream entry by entry, byte for byte determined by its input.
 *
 * <p>Each entry is a ustar header, preceded by one PAX extended header when something does not fit
 * ustar: a name or link target over 100 bytes, a user or group name over 32 bytes, ids over 7 octal
 * digits, sizes of 8 GiB or more, an mtime with sub-second precision or outside the octal range,
 * device numbers over 7 octal digits, and every carried header of {@link NodeMeta#paxHeaders()}.
 * PAX records are written sorted by key. Names, link targets and PAX values are strings whose chars
 * are bytes (ISO-8859-1), so binary values such as {@code SCHILY.xattr.security.capability}
 * round-trip exactly — which is why this codec is our own: commons-compress decodes and encodes PAX
 * values as UTF-8 and would corrupt a capability containing a byte of 0x80 or above.
 *
 * <p>Nothing is taken from the environment: no clock, no user, no host. The stream ends with two
 * zero blocks on {@link #finish()}; the underlying stream is not closed.
 */
public final class TarStreamWriter {
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_7 = 07777777L;
  private static final long MAX_OCTAL_11 = 077777777777L;

  private final OutputStream out;
  private boolean finished;

  public TarStreamWriter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** A directory; the name gets a trailing "/". */
  public void addDirectory(String name, NodeMeta meta) throws IOException {
    String n = name.endsWith("/") ? name : name + "/";
    writeEntry(n, '5', meta, 0, "", 0, 0, null);
  }

  /** A regular file of exactly {@code size} bytes streamed from {@code content}. */
  public void addFile(String name, NodeMeta meta, long size, InputStream content)
      throws IOException {
    writeEntry(name, '0', meta, size, "", 0, 0, Objects.requireNonNull(content, "content"));
  }

  /** A small regular file held in memory (0644, root, at {@code mtime}). */
  public void addFile(String name, byte[] bytes, Instant mtime) throws IOException {
    NodeMeta meta = new NodeMeta(0644, 0, 0, "", "", mtime, Map.of());
    writeEntry(name, '0', meta, bytes.length, "", 0, 0, new java.io.ByteArrayInputStream(bytes));
  }

  public void addSymlink(String name, NodeMeta meta, String target) throws IOException {
    writeEntry(name, '2', meta, 0, target, 0, 0, null);
  }

  /** A hard link to {@code target}, a member name written earlier in this stream. */
  public void addHardLink(String name, NodeMeta meta, String target) throws IOException {
    writeEntry(name, '1', meta, 0, target, 0, 0, null);
  }

  public void addCharDevice(String name, NodeMeta meta, int major, int minor) throws IOException {
    writeEntry(name, '3', meta, 0, "", major, minor, null);
  }

  public void addBlockDevice(String name, NodeMeta meta, int major, int minor) throws IOException {
    writeEntry(name, '4', meta, 0, "", major, minor, null);
  }

  public void addFifo(String name, NodeMeta meta) throws IOException {
    writeEntry(name, '6', meta, 0, "", 0, 0, null);
  }

  /**
   * Writes the end-of-archive marker (two zero blocks) and flushes; further entries are refused.
   */
  public void finish() throws IOException {
    if (!finished) {
      out.write(new byte[2 * BLOCK]);
      out.flush();
      finished = true;
    }
  }

  private void writeEntry(
      String name,
      char type,
      NodeMeta meta,
      long size,
      String linkName,
      long devMajor,
      long devMinor,
      InputStream content)
      throws IOException {
    if (finished) {
      throw new IllegalStateException("tar stream already finished");
    }
    if (name.isEmpty() || name.startsWith("/")) {
      throw new IllegalArgumentException("tar member name must be relative and non-empty: " + name);
    }
    if (size < 0 || meta.uid() < 0 || meta.gid() < 0 || devMajor < 0 || devMinor < 0) {
      throw new IllegalArgumentException("negative size, id or device number for " + name);
    }
    byte[] nameBytes = bytes(name, "name");
    byte[] linkBytes = bytes(linkName, "link target");
    byte[] uname = bytes(meta.userName(), "user name");
    byte[] gname = bytes(meta.groupName(), "group name");

    TreeMap<String, String> pax = new TreeMap<>();
    for (Map.Entry<String, String> e : meta.paxHeaders().entrySet()) {
      if (!PaxKeys.INTERPRETED.contains(e.getKey()) && !PaxKeys.isSparse(e.getKey())) {
        pax.put(e.getKey(), e.getValue());
      }
    }
    if (nameBytes.length > 100) {
      pax.put(PaxKeys.PATH, name);
    }
    if (linkBytes.length > 100) {
      pax.put(PaxKeys.LINKPATH, linkName);
    }
    if (uname.length > 32) {
      pax.put(PaxKeys.UNAME, meta.userName());
    }
    if (gname.length > 32) {
      pax.put(PaxKeys.GNAME, meta.groupName());
    }
    if (meta.uid() > MAX_OCTAL_7) {
      pax.put(PaxKeys.UID, Long.toString(meta.uid()));
    }
    if (meta.gid() > MAX_OCTAL_7) {
      pax.put(PaxKeys.GID, Long.toString(meta.gid()));
    }
    if (size > MAX_OCTAL_11) {
      pax.put(PaxKeys.SIZE, Long.toString(size));
    }
    Instant mtime = meta.mtime();
    long seconds = mtime.getEpochSecond();
    if (mtime.getNano() != 0 || seconds < 0 || seconds > MAX_OCTAL_11) {
      pax.put(PaxKeys.MTIME, formatPaxTime(mtime));
    }
    if (devMajor > MAX_OCTAL_7) {
      pax.put(PaxKeys.DEVMAJOR, Long.toString(devMajor));
    }
    if (devMinor > MAX_OCTAL_7) {
      pax.put(PaxKeys.DEVMINOR, Long.toString(devMinor));
    }
    if (!pax.isEmpty()) {
      byte[] records = paxRecords(pax);
      byte[] header =
          header(
              paxName(name),
              'x',
              0644,
              0,
              0,
              records.length,
              0,
              new byte[0],
              new byte[0],
              new byte[0],
              0,
              0);
      out.write(header);
      out.write(records);
      pad(records.length);
    }
    out.write(
        header(
            nameBytes,
            type,
            meta.mode() & 07777,
            Math.min(meta.uid(), MAX_OCTAL_7),
            Math.min(meta.gid(), MAX_OCTAL_7),
            Math.min(size, MAX_OCTAL_11),
            Math.max(0, Math.min(seconds, MAX_OCTAL_11)),
            linkBytes,
            uname,
            gname,
            Math.min(devMajor, MAX_OCTAL_7),
            Math.min(devMinor, MAX_OCTAL_7)));
    if (content != null) {
      copyExactly(content, size, name);
      pad(size);
    }
  }

  private void copyExactly(InputStream in, long size, String name) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException(
            "content of " + name + " ended after " + (size - left) + " of " + size + " bytes");
      }
      out.write(buf, 0, n);
      left -= n;
    }
    if (in.read() >= 0) {
      throw new IOException("content of " + name + " is longer than its size " + size);
    }
  }

  private void pad(long size) throws IOException {
    int rem = (int) (size % BLOCK);
    if (rem != 0) {
      out.write(new byte[BLOCK - rem]);
    }
  }

  /** Go's naming for extended headers, "dir/PaxHeaders.0/base", cut to 100 bytes. */
  private static byte[] paxName(String name) {
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    int slash = trimmed.lastIndexOf('/');
    String pax = trimmed.substring(0, slash + 1) + "PaxHeaders.0/" + trimmed.substring(slash + 1);
    byte[] b = pax.getBytes(StandardCharsets.ISO_8859_1);
    return b.length > 100 ? Arrays.copyOf(b, 100) : b;
  }

  static String formatPaxTime(Instant t) {
    return BigDecimal.valueOf(t.getEpochSecond())
        .add(BigDecimal.valueOf(t.getNano(), 9))
        .stripTrailingZeros()
        .toPlainString();
  }

  private static byte[] paxRecords(TreeMap<String, String> pax) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, String> e : pax.entrySet()) {
      byte[] key = bytes(e.getKey(), "PAX key");
      byte[] value = bytes(e.getValue(), "PAX value of " + e.getKey());
      if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0) {
        throw new IllegalArgumentException("invalid PAX key: " + e.getKey());
      }
      int rest = key.length + value.length + 3; // ' ', '=', '\n'
      int len = rest + Integer.toString(rest).length();
      if (Integer.toString(len).length() != Integer.toString(rest).length()) {
        len = rest + Integer.toString(len).length();
      }
      b.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(key);
      b.write('=');
      b.writeBytes(value);
      b.write('\n');
    }
    return b.toByteArray();
  }

  private static byte[] header(
      byte[] name,
      char type,
      long mode,
      long uid,
      long gid,
      long size,
      long mtime,
      byte[] link,
      byte[] uname,
      byte[] gname,
      long devMajor,
      long devMinor) {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) type;
    System.arraycopy(link, 0, h, 157, Math.min(link.length, 100));
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    System.arraycopy(uname, 0, h, 265, Math.min(uname.length, 32));
    System.arraycopy(gname, 0, h, 297, Math.min(gname.length, 32));
    octal(h, 329, 8, devMajor);
    octal(h, 337, 8, devMinor);
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte x : h) {
      sum += x & 0xff;
    }
    octal(h, 148, 7, sum); // six digits and NUL, then the space already there
    return h;
  }

  /** {@code width - 1} zero-padded octal digits and a NUL. */
  private static void octal(byte[] h, int off, int width, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > width - 1) {
      throw new IllegalArgumentException("value " + value + " does not fit " + width + " bytes");
    }
    String padded = "0".repeat(width - 1 - s.length()) + s;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, width - 1);
    h[off + width - 1] = 0;
  }

  /** The bytes a string stands for; every char must be a byte (ISO-8859-1), and none NUL. */
  static byte[] bytes(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        throw new IllegalArgumentException(
            what + " has a char that is not a byte (U+" + Integer.toHexString(c) + "): " + s);
      }
    }
    if (!what.startsWith("PAX value") && s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains NUL");
    }
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
