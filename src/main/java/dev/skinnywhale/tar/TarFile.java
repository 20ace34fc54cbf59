package dev.skinnywhale.tar;

import dev.skinnywhale.rootfs.Blob;
import dev.skinnywhale.rootfs.FsNode;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A tar that lies in a file — the whole file, or a region of it (a layer stored uncompressed inside
 * an image archive) — read in place: its members are walked by the one safe header parser ({@link
 * TarWalker}: names confined, sizes checked against the region), and each file's content is a
 * {@link Blob} window on the file, read on demand. Nothing is extracted.
 *
 * <p>Closing it closes the file, and deletes it when it is a spool file of ours ({@link #spool});
 * the user's files are only ever opened for reading ({@link #open}).
 */
public final class TarFile implements Closeable {
  private static final int WALK_BUFFER = 64 * 1024;

  /**
   * One member of the tar.
   *
   * @param entry the decoded header
   * @param offset where its data starts in the file
   * @param content a regular file's content; empty for other types
   */
  public record Member(TarEntry entry, long offset, Optional<Blob> content) {
    public Member {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(content, "content");
    }

    /** The filesystem node this member makes. */
    public FsNode node() {
      return TarRootFsReader.node(entry, content.orElse(null));
    }
  }

  private final SpoolFile file;

  private TarFile(SpoolFile file) {
    this.file = file;
  }

  /** A file of the user's (an archive, a blob of an OCI layout), read only, never deleted. */
  public static TarFile open(Path path) throws IOException {
    return new TarFile(new SpoolFile(path, false));
  }

  /** A temporary file of ours, deleted on {@link #close()}. */
  public static TarFile spool(Path path) throws IOException {
    return new TarFile(new SpoolFile(path, true));
  }

  public Path path() {
    return file.path();
  }

  public long size() throws IOException {
    return file.size();
  }

  /** The members of the whole file, in stream order (duplicates kept). */
  public List<Member> members() throws IOException {
    return members(0, file.size());
  }

  /**
   * The members of the tar stored in {@code length} bytes from {@code offset}, in stream order
   * (duplicates kept).
   *
   * @throws TarFormatException when the tar is malformed, truncated or names something outside its
   *     root
   */
  public List<Member> members(long offset, long length) throws IOException {
    long size = file.size();
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw new TarFormatException(
          "region of " + length + " bytes at " + offset + " is outside " + file.path());
    }
    List<Member> out = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(file.stream(offset, length), WALK_BUFFER)) {
      TarWalker walker = new TarWalker(new TarInput(in, OptionalLong.of(length)), true);
      for (Optional<TarEntry> e = walker.next(); e.isPresent(); e = walker.next()) {
        long at = offset + walker.dataOffset();
        TarEntry entry = e.get();
        Optional<Blob> content =
            entry.type() == TarEntry.Type.FILE
                ? Optional.of(file.blob(at, entry.size()))
                : Optional.empty();
        out.add(new Member(entry, at, content));
      }
    }
    return out;
  }

  /** {@code length} bytes at {@code offset} as a blob (a member's data read in place). */
  public Blob window(long offset, long length) throws IOException {
    long size = file.size();
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw new TarFormatException(
          "region of " + length + " bytes at " + offset + " is outside " + file.path());
    }
    return file.blob(offset, length);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
