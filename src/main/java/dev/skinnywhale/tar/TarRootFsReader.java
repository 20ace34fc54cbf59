package dev.skinnywhale.tar;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a tar stream (an engine's {@code GET /containers/{id}/export}) into a {@link RootFs}:
 * metadata in memory, content read on demand from a spool file.
 *
 * <p>The stream is copied to a temporary file in the spool directory, then its headers are walked
 * with positional reads; each regular file's blob is a window on the spool file (mapped for {@code
 * read}, positional reads for {@code open}), so a 1 GB filesystem costs heap only for its metadata.
 * The spool file is deleted when the RootFs is closed, and at once when reading fails.
 *
 * <p>Formats: ustar (with prefix), PAX (local and global headers), GNU long names and link names
 * ('L'/'K'), base-256 numbers. Sparse entries are rejected (the engine's Go writer never produces
 * them). Untrusted names are confined by {@link TarNames#normalize}; hard-link targets too; symlink
 * targets are kept verbatim. A later entry for a path replaces an earlier one.
 *
 * <p>Strings are bytes decoded as ISO-8859-1, PAX values included, so a binary {@code
 * SCHILY.xattr.security.capability} reaches {@link NodeMeta#paxHeaders()} unchanged.
 */
public final class TarRootFsReader {
  private static final int BLOCK = 512;
  private static final int MAX_EXTENSION_BYTES = 1 << 20;

  public RootFs read(InputStream tarStream, Path spoolDir) throws IOException {
    Path spool = Files.createTempFile(spoolDir, "skinnywhale-export-", ".tar");
    SpoolFile file = null;
    boolean ok = false;
    try {
      try (OutputStream out = Files.newOutputStream(spool)) {
        tarStream.transferTo(out);
      } catch (IOException e) {
        throw new IOException("spooling tar stream to " + spool + ": " + e.getMessage(), e);
      }
      file = new SpoolFile(spool);
      List<FsNode> nodes = index(file);
      RootFs fs = RootFs.of(nodes, file);
      ok = true;
      return fs;
    } finally {
      if (!ok) {
        if (file != null) {
          file.close();
        }
        Files.deleteIfExists(spool);
      }
    }
  }

  private static List<FsNode> index(SpoolFile file) throws IOException {
    long fileSize = file.size();
    Map<String, FsNode> nodes = new LinkedHashMap<>();
    Map<String, String> global = new HashMap<>();
    Map<String, String> local = null;
    String longName = null;
    String longLink = null;
    long pos = 0;
    while (true) {
      if (pos + BLOCK > fileSize) {
        throw new TarFormatException(
            "truncated tar stream: no header or end-of-archive marker at offset " + pos);
      }
      ByteBuffer h = file.readFully(pos, BLOCK);
      if (isZero(h)) {
        break; // end of archive (one zero block suffices, as for GNU tar)
      }
      verifyChecksum(h, pos);
      long headerPos = pos;
      char type = (char) (h.get(156) & 0xff);
      long size = number(h, 124, 12, headerPos, "size");
      boolean extension = type == 'x' || type == 'g' || type == 'L' || type == 'K';
      if (!extension && local != null && local.containsKey(PaxKeys.SIZE)) {
        size = decimal(local.get(PaxKeys.SIZE), headerPos, PaxKeys.SIZE);
      }
      if (isHeaderOnly(type)) {
        size = 0;
      }
      long dataPos = pos + BLOCK;
      if (size < 0 || dataPos > fileSize || size > fileSize - dataPos) {
        throw new TarFormatException(
            "truncated tar stream: entry at offset "
                + headerPos
                + " has "
                + size
                + " bytes of data, the stream ends at "
                + fileSize);
      }
      pos = dataPos + (size + BLOCK - 1) / BLOCK * BLOCK;
      switch (type) {
        case 'x' -> {
          Map<String, String> m = local == null ? new HashMap<>() : local;
          parsePax(extensionData(file, dataPos, size, headerPos), headerPos, m);
          local = m;
          continue;
        }
        case 'g' -> {
          parsePax(extensionData(file, dataPos, size, headerPos), headerPos, global);
          continue;
        }
        case 'L' -> {
          longName = cstring(ByteBuffer.wrap(extensionData(file, dataPos, size, headerPos)));
          continue;
        }
        case 'K' -> {
          longLink = cstring(ByteBuffer.wrap(extensionData(file, dataPos, size, headerPos)));
          continue;
        }
        default -> {}
      }
      Map<String, String> pax = new HashMap<>(global);
      if (local != null) {
        pax.putAll(local);
      }
      pax.values().removeIf(String::isEmpty); // an empty value deletes the key
      String rawName = header(h, 0, 100);
      if (longName != null) {
        rawName = longName;
      } else if (pax.containsKey(PaxKeys.PATH)) {
        rawName = pax.get(PaxKeys.PATH);
      } else if (isPosixUstar(h)) {
        String prefix = header(h, 345, 155);
        if (!prefix.isEmpty()) {
          rawName = prefix + "/" + rawName;
        }
      }
      String rawLink =
          longLink != null ? longLink : pax.getOrDefault(PaxKeys.LINKPATH, header(h, 157, 100));
      local = null;
      longName = null;
      longLink = null;
      try {
        FsNode node = node(h, type, rawName, rawLink, pax, size, dataPos, headerPos, file);
        nodes.remove(node.path()); // a later duplicate replaces the earlier one
        nodes.put(node.path(), node);
      } catch (TarFormatException e) {
        throw new TarFormatException(
            "entry \""
                + TarNames.printable(rawName)
                + "\" at offset "
                + headerPos
                + ": "
                + e.getMessage());
      }
    }
    return new ArrayList<>(nodes.values());
  }

  private static FsNode node(
      ByteBuffer h,
      char type,
      String rawName,
      String rawLink,
      Map<String, String> pax,
      long size,
      long dataPos,
      long headerPos,
      SpoolFile file)
      throws TarFormatException {
    for (String key : pax.keySet()) {
      if (PaxKeys.isSparse(key)) {
        throw new TarFormatException("sparse entries are not supported (PAX " + key + ")");
      }
    }
    String path = TarNames.normalize(rawName);
    NodeMeta meta = meta(h, pax, headerPos);
    boolean dirByName = rawName.endsWith("/");
    if (path.equals("/") && !(type == '5' || ((type == '0' || type == 0) && dirByName))) {
      throw new TarFormatException("the root is not a directory (type '" + type + "')");
    }
    return switch (type) {
      case '0', '\0', '7' ->
          dirByName
              ? new FsNode.Directory(path, meta)
              : new FsNode.RegularFile(path, meta, file.blob(dataPos, size));
      case '1' -> {
        if (rawLink.isEmpty()) {
          throw new TarFormatException("hard link without a target");
        }
        String target = TarNames.normalize(rawLink);
        if (target.equals("/")) {
          throw new TarFormatException("hard link to the root");
        }
        yield new FsNode.HardLink(path, meta, target);
      }
      case '2' -> {
        if (rawLink.indexOf('\0') >= 0) {
          throw new TarFormatException("symlink target contains NUL");
        }
        yield new FsNode.Symlink(path, meta, rawLink);
      }
      case '3', '4', '6' -> {
        int major = (int) devNumber(h, 329, pax, PaxKeys.DEVMAJOR, headerPos);
        int minor = (int) devNumber(h, 337, pax, PaxKeys.DEVMINOR, headerPos);
        FsNode.Special.Kind kind =
            switch (type) {
              case '3' -> FsNode.Special.Kind.CHAR_DEVICE;
              case '4' -> FsNode.Special.Kind.BLOCK_DEVICE;
              default -> FsNode.Special.Kind.FIFO;
            };
        yield new FsNode.Special(path, meta, kind, major, minor);
      }
      case '5' -> new FsNode.Directory(path, meta);
      case 'S' -> throw new TarFormatException("sparse entries are not supported (GNU type 'S')");
      default ->
          throw new TarFormatException(
              "unsupported entry type '" + TarNames.printable(String.valueOf(type)) + "'");
    };
  }

  private static NodeMeta meta(ByteBuffer h, Map<String, String> pax, long headerPos)
      throws TarFormatException {
    int mode = (int) (number(h, 100, 8, headerPos, "mode") & 07777);
    long uid =
        pax.containsKey(PaxKeys.UID)
            ? decimal(pax.get(PaxKeys.UID), headerPos, PaxKeys.UID)
            : number(h, 108, 8, headerPos, "uid");
    long gid =
        pax.containsKey(PaxKeys.GID)
            ? decimal(pax.get(PaxKeys.GID), headerPos, PaxKeys.GID)
            : number(h, 116, 8, headerPos, "gid");
    String uname = pax.getOrDefault(PaxKeys.UNAME, header(h, 265, 32));
    String gname = pax.getOrDefault(PaxKeys.GNAME, header(h, 297, 32));
    Instant mtime =
        pax.containsKey(PaxKeys.MTIME)
            ? paxTime(pax.get(PaxKeys.MTIME), headerPos)
            : Instant.ofEpochSecond(number(h, 136, 12, headerPos, "mtime"));
    Map<String, String> kept = new TreeMap<>();
    for (Map.Entry<String, String> e : pax.entrySet()) {
      if (!PaxKeys.INTERPRETED.contains(e.getKey())) {
        kept.put(e.getKey(), e.getValue());
      }
    }
    return new NodeMeta(mode, uid, gid, uname, gname, mtime, kept);
  }

  private static long devNumber(
      ByteBuffer h, int off, Map<String, String> pax, String key, long headerPos)
      throws TarFormatException {
    long v =
        pax.containsKey(key)
            ? decimal(pax.get(key), headerPos, key)
            : number(h, off, 8, headerPos, key);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new TarFormatException("device number out of range: " + v);
    }
    return v;
  }

  private static boolean isHeaderOnly(char type) {
    return type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6';
  }

  private static byte[] extensionData(SpoolFile file, long dataPos, long size, long headerPos)
      throws IOException {
    if (size > MAX_EXTENSION_BYTES) {
      throw new TarFormatException(
          "extended header at offset " + headerPos + " is too large: " + size + " bytes");
    }
    ByteBuffer b = file.readFully(dataPos, (int) size);
    byte[] out = new byte[(int) size];
    b.get(out);
    return out;
  }

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

  private static long decimal(String value, long headerPos, String key) throws TarFormatException {
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

  private static String header(ByteBuffer h, int off, int len) {
    return cstring(h.duplicate().position(off).limit(off + len).slice());
  }

  private static String cstring(ByteBuffer b) {
    int n = 0;
    while (n < b.remaining() && b.get(b.position() + n) != 0) {
      n++;
    }
    byte[] out = new byte[n];
    b.duplicate().get(out);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static boolean isPosixUstar(ByteBuffer h) {
    return h.get(257) == 'u'
        && h.get(258) == 's'
        && h.get(259) == 't'
        && h.get(260) == 'a'
        && h.get(261) == 'r'
        && h.get(262) == 0;
  }

  private static boolean isZero(ByteBuffer h) {
    for (int i = 0; i < BLOCK; i++) {
      if (h.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static void verifyChecksum(ByteBuffer h, long headerPos) throws TarFormatException {
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
