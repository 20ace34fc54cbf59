package dev.skinnywhale.tar;

import static dev.skinnywhale.tar.TarHeaders.BLOCK;

import dev.skinnywhale.rootfs.NodeMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Walks a tar stream's members in order, the one parser of untrusted tar headers: ustar (with
 * prefix), PAX (local and global headers), GNU long names and link names ('L'/'K'), base-256
 * numbers; checksums verified, sizes checked, names confined by {@link TarNames#normalize}, sparse
 * entries rejected. The data of a member is read through {@link #content()} or skipped by the next
 * {@link #next()}. Extension headers are held in memory up to 1 MiB each; nothing else is.
 */
final class TarWalker {
  private static final int MAX_EXTENSION_BYTES = 1 << 20;

  private final TarInput in;
  private final boolean rejectAbsolute;
  private final Map<String, String> global = new HashMap<>();
  private boolean ended;
  private long headerPos;
  private long dataPos;
  private long size;
  private long remaining;

  TarWalker(TarInput in) {
    this(in, false);
  }

  /**
   * @param rejectAbsolute whether a member name starting with '/' is an error (image archives and
   *     layers, which no well-behaved writer gives one), rather than taken relative to the root
   */
  TarWalker(TarInput in, boolean rejectAbsolute) {
    this.in = in;
    this.rejectAbsolute = rejectAbsolute;
  }

  /** The next member, or empty at the end-of-archive marker; the previous one's data is skipped. */
  Optional<TarEntry> next() throws IOException {
    if (ended) {
      return Optional.empty();
    }
    skipData();
    Map<String, String> local = null;
    String longName = null;
    String longLink = null;
    while (true) {
      long pos = in.position();
      ByteBuffer h = readHeader(pos);
      if (TarHeaders.isZero(h)) {
        ended = true; // end of archive (one zero block suffices, as for GNU tar)
        return Optional.empty();
      }
      TarHeaders.verifyChecksum(h, pos);
      char type = (char) (h.get(156) & 0xff);
      long size = TarHeaders.number(h, 124, 12, pos, "size");
      boolean extension = type == 'x' || type == 'g' || type == 'L' || type == 'K';
      if (!extension && local != null && local.containsKey(PaxKeys.SIZE)) {
        size = TarHeaders.decimal(local.get(PaxKeys.SIZE), pos, PaxKeys.SIZE);
      }
      if (isHeaderOnly(type)) {
        size = 0;
      }
      start(pos, size);
      switch (type) {
        case 'x' -> {
          Map<String, String> m = local == null ? new HashMap<>() : local;
          TarHeaders.parsePax(extensionData(), pos, m);
          local = m;
          continue;
        }
        case 'g' -> {
          TarHeaders.parsePax(extensionData(), pos, global);
          continue;
        }
        case 'L' -> {
          longName = TarHeaders.cstring(ByteBuffer.wrap(extensionData()));
          continue;
        }
        case 'K' -> {
          longLink = TarHeaders.cstring(ByteBuffer.wrap(extensionData()));
          continue;
        }
        default -> {}
      }
      Map<String, String> pax = new HashMap<>(global);
      if (local != null) {
        pax.putAll(local);
      }
      pax.values().removeIf(String::isEmpty); // an empty value deletes the key
      String rawName = TarHeaders.header(h, 0, 100);
      if (longName != null) {
        rawName = longName;
      } else if (pax.containsKey(PaxKeys.PATH)) {
        rawName = pax.get(PaxKeys.PATH);
      } else if (TarHeaders.isPosixUstar(h)) {
        String prefix = TarHeaders.header(h, 345, 155);
        if (!prefix.isEmpty()) {
          rawName = prefix + "/" + rawName;
        }
      }
      String rawLink =
          longLink != null
              ? longLink
              : pax.getOrDefault(PaxKeys.LINKPATH, TarHeaders.header(h, 157, 100));
      try {
        if (rejectAbsolute
            && (rawName.startsWith("/") || (type == '1' && rawLink.startsWith("/")))) {
          throw new TarFormatException("absolute name");
        }
        return Optional.of(describe(h, type, rawName, rawLink, pax, size, pos));
      } catch (TarFormatException e) {
        throw new TarFormatException(
            "entry \""
                + TarNames.printable(rawName)
                + "\" at offset "
                + pos
                + ": "
                + e.getMessage());
      }
    }
  }

  /** Where the current member's data starts in the stream. */
  long dataOffset() {
    return dataPos;
  }

  /** The current member's data; it ends where the member does, and the next call skips the rest. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw truncatedData(in.position());
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void start(long pos, long size) throws TarFormatException {
    long data = pos + BLOCK;
    boolean fits =
        size >= 0 && in.length().stream().allMatch(len -> data <= len && size <= len - data);
    this.headerPos = pos;
    this.dataPos = data;
    this.size = size;
    this.remaining = fits ? size : 0;
    if (!fits) {
      throw truncatedData(in.length().orElse(data));
    }
  }

  private ByteBuffer readHeader(long pos) throws IOException {
    byte[] block = new byte[BLOCK];
    if (in.readFully(block, 0, BLOCK) < BLOCK) {
      throw noHeader(pos);
    }
    return ByteBuffer.wrap(block).asReadOnlyBuffer();
  }

  /** Skips what is left of the current member's data and its padding. */
  private void skipData() throws IOException {
    if (remaining > 0) {
      long want = remaining;
      remaining = 0;
      if (in.skip(want) < want) {
        throw truncatedData(in.position());
      }
    }
    long padding = (BLOCK - size % BLOCK) % BLOCK;
    if (padding > 0 && in.skip(padding) < padding) {
      throw noHeader(dataPos + size + padding);
    }
    size = 0;
  }

  private byte[] extensionData() throws IOException {
    if (size > MAX_EXTENSION_BYTES) {
      throw new TarFormatException(
          "extended header at offset " + headerPos + " is too large: " + size + " bytes");
    }
    byte[] out = new byte[(int) size];
    if (in.readFully(out, 0, out.length) < out.length) {
      throw truncatedData(in.position());
    }
    remaining = 0;
    skipData();
    return out;
  }

  private TarFormatException truncatedData(long end) {
    return new TarFormatException(
        "truncated tar stream: entry at offset "
            + headerPos
            + " has "
            + size
            + " bytes of data, the stream ends at "
            + end);
  }

  private static TarFormatException noHeader(long pos) {
    return new TarFormatException(
        "truncated tar stream: no header or end-of-archive marker at offset " + pos);
  }

  private static TarEntry describe(
      ByteBuffer h,
      char type,
      String rawName,
      String rawLink,
      Map<String, String> pax,
      long size,
      long headerPos)
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
          new TarEntry(
              path, dirByName ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE, size, meta, "", 0, 0);
      case '1' -> {
        if (rawLink.isEmpty()) {
          throw new TarFormatException("hard link without a target");
        }
        String target = TarNames.normalize(rawLink);
        if (target.equals("/")) {
          throw new TarFormatException("hard link to the root");
        }
        yield new TarEntry(path, TarEntry.Type.HARD_LINK, 0, meta, target, 0, 0);
      }
      case '2' -> {
        if (rawLink.indexOf('\0') >= 0) {
          throw new TarFormatException("symlink target contains NUL");
        }
        yield new TarEntry(path, TarEntry.Type.SYMLINK, 0, meta, rawLink, 0, 0);
      }
      case '3', '4', '6' -> {
        int major = (int) devNumber(h, 329, pax, PaxKeys.DEVMAJOR, headerPos);
        int minor = (int) devNumber(h, 337, pax, PaxKeys.DEVMINOR, headerPos);
        TarEntry.Type kind =
            switch (type) {
              case '3' -> TarEntry.Type.CHAR_DEVICE;
              case '4' -> TarEntry.Type.BLOCK_DEVICE;
              default -> TarEntry.Type.FIFO;
            };
        yield new TarEntry(path, kind, 0, meta, "", major, minor);
      }
      case '5' -> new TarEntry(path, TarEntry.Type.DIRECTORY, 0, meta, "", 0, 0);
      case 'S' -> throw new TarFormatException("sparse entries are not supported (GNU type 'S')");
      default ->
          throw new TarFormatException(
              "unsupported entry type '" + TarNames.printable(String.valueOf(type)) + "'");
    };
  }

  private static NodeMeta meta(ByteBuffer h, Map<String, String> pax, long headerPos)
      throws TarFormatException {
    int mode = (int) (TarHeaders.number(h, 100, 8, headerPos, "mode") & 07777);
    long uid =
        pax.containsKey(PaxKeys.UID)
            ? TarHeaders.decimal(pax.get(PaxKeys.UID), headerPos, PaxKeys.UID)
            : TarHeaders.number(h, 108, 8, headerPos, "uid");
    long gid =
        pax.containsKey(PaxKeys.GID)
            ? TarHeaders.decimal(pax.get(PaxKeys.GID), headerPos, PaxKeys.GID)
            : TarHeaders.number(h, 116, 8, headerPos, "gid");
    String uname = pax.getOrDefault(PaxKeys.UNAME, TarHeaders.header(h, 265, 32));
    String gname = pax.getOrDefault(PaxKeys.GNAME, TarHeaders.header(h, 297, 32));
    Instant mtime =
        pax.containsKey(PaxKeys.MTIME)
            ? TarHeaders.paxTime(pax.get(PaxKeys.MTIME), headerPos)
            : Instant.ofEpochSecond(TarHeaders.number(h, 136, 12, headerPos, "mtime"));
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
            ? TarHeaders.decimal(pax.get(key), headerPos, key)
            : TarHeaders.number(h, off, 8, headerPos, key);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new TarFormatException("device number out of range: " + v);
    }
    return v;
  }

  private static boolean isHeaderOnly(char type) {
    return type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6';
  }
}
