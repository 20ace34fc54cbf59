package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** What the step tests share: a fixed clock and the fake engine's container and image. */
final class StepFixture {
  private StepFixture() {}

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** The fake engine's container "app", as the engine describes it. */
  static Source container(Run run) {
    return new SourceReader(run).find("app");
  }

  /** The fake engine's image "base:1". */
  static Source image(Run run) {
    return new SourceReader(run).find("base:1");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A filesystem read from files given as {@link FakeEngine#tar} takes them. */
  static RootFs fs(Map<String, byte[]> files, Path spoolDir) throws IOException {
    return new TarRootFsReader().read(new ByteArrayInputStream(FakeEngine.tar(files)), spoolDir);
  }
}
