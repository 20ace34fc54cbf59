package dev.skinnywhale.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads the listing of the tracer's {@code index} helper mode (tracer/src/index.c: a magic, then
 * length-prefixed big-endian records, then a trailer counting them) into the nodes {@code docker
 * export} of the same container would give: mtime truncated to seconds, only {@code
 * security.capability} of the extended attributes (as {@code SCHILY.xattr.*}, bytes as ISO-8859-1),
 * sockets left out, the first path of a set of hard links (in the walk's order, which is the
 * export's) the file and the later ones links to it, owner names from {@code names}.
 *
 * <p>What a running container shows at its mount points is not its image's: a mount point is listed
 * without its content, a file there as the engine's empty placeholder (0755, root) and a directory
 * as a 0755 root directory, both at {@code placeholderTime} (see {@link Listing#placeholderTime}).
 *
 * <p>Everything is checked against budgets before use: the record length, every length inside a
 * record against what is left of it, the entry count, the xattrs of an entry.
 */
public final class FsIndex {
  static final byte[] MAGIC = {'S', 'W', 'I', 'D', 'X', 0, 0, 1};
  static final int FIXED = 64;

  /** The xattr export carries; the others (user.*, security.selinux) are left out as it does. */
  static final String CAPABILITY = "security.capability";

  static final String XATTR_PREFIX = "SCHILY.xattr.";

  /** How content is found for a regular file of the listing. */
  @FunctionalInterface
  public interface Contents {
    /** {@code head}: the first bytes of the content as the index carried them (maybe none). */
    Blob blob(String path, long size, byte[] head);
  }

  /**
   * One entry as the helper saw it.
   *
   * @param mountPoint whether something is mounted there (its content is not listed)
   */
  public record Entry(
      char type,
      boolean mountPoint,
      int mode,
      long uid,
      long gid,
      long nlink,
      long size,
      long mtimeSeconds,
      int devMajor,
      int devMinor,
      long dev,
      long ino,
      String path,
      String link,
      Map<String, String> xattrs,
      byte[] head) {}

  /** A whole listing: its entries in the walk's order. */
  public record Listing(List<Entry> entries) {
    public Listing {
      entries = List.copyOf(entries);
    }

    /**
     * The time the engine made its placeholders: that of {@code /.dockerenv}, made with them (and
     * never mounted over); the epoch when there is none.
     */
    public Instant placeholderTime() {
      return entries.stream()
          .filter(e -> e.path().equals("/.dockerenv") && !e.mountPoint())
          .findFirst()
          .map(e -> Instant.ofEpochSecond(e.mtimeSeconds()))
          .orElse(Instant.EPOCH);
    }
  }

  private final long maxEntries;
  private final int maxRecordBytes;

  /**
   * @param maxEntries the most entries accepted
   * @param maxRecordBytes the most bytes of one record (path, link target and xattrs)
   */
  public FsIndex(long maxEntries, int maxRecordBytes) {
    this.maxEntries = maxEntries;
    this.maxRecordBytes = maxRecordBytes;
  }

  public FsIndex() {
    this(5_000_000, 1 << 20);
  }

  /** Reads a whole listing from {@code in}; fails on a malformed or truncated one. */
  public Listing read(InputStream in) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException("the helper's index does not start with its magic");
    }
    List<Entry> entries = new ArrayList<>();
    long offset = MAGIC.length;
    byte[] lengthBytes = new byte[4];
    while (true) {
      if (in.readNBytes(lengthBytes, 0, 4) != 4) {
        throw new IOException(
            "the helper's index ends at offset " + offset + " without its trailer");
      }
      long length = ByteBuffer.wrap(lengthBytes).getInt() & 0xffffffffL;
      if (length < FIXED + 12 || length > maxRecordBytes) {
        throw new IOException(
            "record at offset " + offset + " of the helper's index has a bad length " + length);
      }
      byte[] body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new IOException("the helper's index ends inside the record at offset " + offset);
      }
      Entry e = record(ByteBuffer.wrap(body).order(ByteOrder.BIG_ENDIAN), offset);
      offset += 4 + length;
      if (e.type() == 'E') {
        if (e.size() != entries.size()) {
          throw new IOException(
              "the helper's index has "
                  + entries.size()
                  + " entries, its trailer says "
                  + e.size());
        }
        return new Listing(entries);
      }
      if (entries.size() >= maxEntries) {
        throw new IOException("the filesystem has more than " + maxEntries + " entries");
      }
      entries.add(e);
    }
  }

  private static Entry record(ByteBuffer b, long offset) throws IOException {
    char type = (char) (b.get(0) & 0xff);
    if ("fdlcbpsE".indexOf(type) < 0) {
      throw new IOException("record at offset " + offset + ": unknown type " + (int) type);
    }
    int pos = FIXED;
    String[] strings = new String[2];
    for (int i = 0; i < 2; i++) {
      int n = length(b, pos, offset);
      strings[i] = new String(b.array(), pos + 4, n, StandardCharsets.ISO_8859_1);
      pos += 4 + n;
    }
    long count = unsigned(b, pos, offset);
    pos += 4;
    if (count > (b.limit() - pos - 4) / 8) {
      throw new IOException("record at offset " + offset + ": " + count + " xattrs do not fit");
    }
    Map<String, String> xattrs = new TreeMap<>();
    for (long i = 0; i < count; i++) {
      int kn = length(b, pos, offset);
      String key = new String(b.array(), pos + 4, kn, StandardCharsets.ISO_8859_1);
      pos += 4 + kn;
      int vn = length(b, pos, offset);
      xattrs.put(key, new String(b.array(), pos + 4, vn, StandardCharsets.ISO_8859_1));
      pos += 4 + vn;
    }
    int hn = length(b, pos, offset);
    byte[] head = java.util.Arrays.copyOfRange(b.array(), pos + 4, pos + 4 + hn);
    return new Entry(
        type,
        (b.get(1) & 1) != 0,
        b.getInt(4) & 07777,
        b.getInt(8) & 0xffffffffL,
        b.getInt(12) & 0xffffffffL,
        b.getInt(16) & 0xffffffffL,
        b.getLong(20),
        b.getLong(28),
        b.getInt(40),
        b.getInt(44),
        b.getLong(48),
        b.getLong(56),
        strings[0],
        strings[1],
        xattrs,
        head);
  }

  /** A u32 length at {@code pos} whose bytes must follow it inside the record. */
  private static int length(ByteBuffer b, int pos, long offset) throws IOException {
    long n = unsigned(b, pos, offset);
    if (n > b.limit() - pos - 4L) {
      throw new IOException(
          "record at offset " + offset + ": a length of " + n + " passes its end");
    }
    return (int) n;
  }

  private static long unsigned(ByteBuffer b, int pos, long offset) throws IOException {
    if (pos < 0 || pos + 4 > b.limit()) {
      throw new IOException("record at offset " + offset + " is cut short");
    }
    return b.getInt(pos) & 0xffffffffL;
  }

  /**
   * The nodes of a listing, as an export of the same container would give them.
   *
   * @param userNames the owner names for uids (as the engine's export names them); "" otherwise
   * @param groupNames the same for gids
   */
  public static List<FsNode> nodes(
      Listing listing,
      Map<Long, String> userNames,
      Map<Long, String> groupNames,
      Contents contents) {
    Objects.requireNonNull(contents, "contents");
    Instant placeholder = listing.placeholderTime();
    Map<List<Long>, String> firstLinks = new HashMap<>();
    List<FsNode> out = new ArrayList<>(listing.entries().size());
    for (Entry e : listing.entries()) {
      // an export has no entry for the root (RootFs adds it), nor sockets
      if (e.type() == 's'
          || e.path().equals(FsPath.ROOT)
          || !e.path().startsWith("/")
          || !FsPath.isNormal(e.path())) {
        continue;
      }
      if (e.mountPoint()) {
        NodeMeta meta =
            new NodeMeta(
                0755,
                0,
                0,
                userNames.getOrDefault(0L, ""),
                groupNames.getOrDefault(0L, ""),
                placeholder,
                Map.of());
        out.add(
            e.type() == 'd'
                ? new FsNode.Directory(e.path(), meta)
                : new FsNode.RegularFile(e.path(), meta, new BytesBlob(new byte[0])));
        continue;
      }
      Map<String, String> pax = new TreeMap<>();
      String cap = e.xattrs().get(CAPABILITY);
      if (cap != null) {
        pax.put(XATTR_PREFIX + CAPABILITY, cap);
      }
      NodeMeta meta =
          new NodeMeta(
              e.mode(),
              e.uid(),
              e.gid(),
              userNames.getOrDefault(e.uid(), ""),
              groupNames.getOrDefault(e.gid(), ""),
              Instant.ofEpochSecond(e.mtimeSeconds()),
              pax);
      out.add(
          switch (e.type()) {
            case 'f' -> {
              if (e.nlink() > 1) {
                String first = firstLinks.putIfAbsent(List.of(e.dev(), e.ino()), e.path());
                if (first != null) {
                  yield new FsNode.HardLink(e.path(), meta, first);
                }
              }
              yield new FsNode.RegularFile(
                  e.path(), meta, contents.blob(e.path(), e.size(), e.head()));
            }
            case 'd' -> new FsNode.Directory(e.path(), meta);
            case 'l' -> new FsNode.Symlink(e.path(), meta, e.link());
            case 'c' ->
                new FsNode.Special(
                    e.path(), meta, FsNode.Special.Kind.CHAR_DEVICE, e.devMajor(), e.devMinor());
            case 'b' ->
                new FsNode.Special(
                    e.path(), meta, FsNode.Special.Kind.BLOCK_DEVICE, e.devMajor(), e.devMinor());
            default -> new FsNode.Special(e.path(), meta, FsNode.Special.Kind.FIFO, 0, 0);
          });
    }
    return out;
  }
}
