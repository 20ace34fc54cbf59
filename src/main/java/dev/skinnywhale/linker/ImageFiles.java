package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfFormatException;
import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.elf.ElfReader;
import dev.skinnywhale.rootfs.Blob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image's files as the loader and the kernel see them: paths looked up with '..' taken
 * physically, and what each regular file is (ELF headers, a {@code #!} line), read once per real
 * path, and once per content however many resolvers ask: a run makes a resolver per closure and per
 * round of the keep plan's expansion, and each used to read and parse every ELF file again (a JRE's
 * 30 MB of read-only segments scanned for library literals four or five times). Not thread-safe;
 * the memo by content is.
 */
final class ImageFiles {
  private static final int HEAD = 2 + Shebang.MAX_LINE;

  /**
   * What a content is, by the content object itself (a file's bytes never change under it); weakly
   * held, so it goes with the filesystem. What it is depends on its bytes alone, so a run's
   * resolvers share it; a content that could not be read is not kept (the next reader tries again).
   */
  private static final Map<Blob, FileContent> BY_CONTENT =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private final RootFs fs;
  private final ElfReader reader = new ElfReader();
  private final Map<String, FileContent> contents = new HashMap<>();

  ImageFiles(RootFs fs) {
    this.fs = fs;
  }

  /** What the regular file at a real path is; memoised. */
  FileContent content(String real) {
    FileContent c = contents.get(real);
    if (c == null) {
      c = readContent(real);
      contents.put(real, c);
    }
    return c;
  }

  /** The ELF headers of a real path already known to be an ELF file. */
  ElfInfo elf(String real) {
    return ((FileContent.Elf) content(real)).info();
  }

  private FileContent readContent(String real) {
    Optional<FsNode.RegularFile> file = fs.file(real);
    if (file.isEmpty()) {
      return new FileContent.Other();
    }
    Blob blob = file.get().content();
    FileContent known = BY_CONTENT.get(blob);
    if (known != null) {
      return known;
    }
    FileContent c = parse(blob);
    if (!(c instanceof FileContent.Broken b && b.reason().startsWith(CANNOT_READ))) {
      BY_CONTENT.put(blob, c);
    }
    return c;
  }

  private static final String CANNOT_READ = "cannot read: ";

  private FileContent parse(Blob blob) {
    try {
      ByteBuffer head = blob.read(HEAD);
      if (ElfReader.hasElfMagic(head)) {
        ByteBuffer whole = blob.read(blob.size());
        return new FileContent.Elf(reader.read(whole));
      }
      Optional<Shebang> shebang = Shebang.parse(head);
      if (shebang.isPresent()) {
        return new FileContent.Script(shebang.get());
      }
      return new FileContent.Other();
    } catch (ElfFormatException e) {
      return new FileContent.Broken("ELF: " + e.getMessage());
    } catch (IOException e) {
      return new FileContent.Broken(CANNOT_READ + e.getMessage());
    }
  }

  /**
   * Resolves a path inside the image with '..' taken physically (the parent of the real directory,
   * as the kernel does), collecting every symlink hop. Relative paths start at the root.
   */
  Located locate(String raw) {
    List<String> hops = new ArrayList<>();
    String current = FsPath.ROOT;
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        Resolution r = fs.resolve(current);
        hops.addAll(r.hops());
        current = FsPath.parent(r.finalPath()).orElse(FsPath.ROOT);
        continue;
      }
      current = FsPath.resolve(current, part);
    }
    Resolution r = fs.resolve(current);
    hops.addAll(r.hops());
    Optional<FsNode> node = r.node().filter(n -> fs.regularFile(n).isPresent());
    Optional<String> failure =
        r.failure().or(() -> node.isEmpty() ? Optional.of("not a regular file") : Optional.empty());
    return new Located(
        current, r.finalPath(), List.copyOf(new LinkedHashSet<>(hops)), node, failure);
  }
}
