package dev.skinnywhale.workflow.keep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.profile.EntryType;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileEntry;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.profile.TracerKind;
import dev.skinnywhale.profile.Why;
import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Source;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The script closure and the symbol needs as keep contributors. */
class RuntimeNeedsContributorsTest {
  private static final String LIB = "/usr/lib/x86_64-linux-gnu/";

  private final List<FsNode> nodes = new ArrayList<>();
  private final List<String> said = new ArrayList<>();
  private final Reporter reporter =
      new Reporter() {
        @Override
        public void step(String message) {}

        @Override
        public void info(String message) {
          said.add("info " + message);
        }

        @Override
        public void warn(String message) {
          said.add("warn " + message);
        }

        @Override
        public void debug(String message) {
          said.add("debug " + message);
        }
      };

  private void file(String path, int mode, byte[] content) {
    nodes.add(new FsNode.RegularFile(path, NodeMeta.of(mode), new BytesBlob(content)));
  }

  private void text(String path, int mode, String content) {
    file(path, mode, content.getBytes(StandardCharsets.ISO_8859_1));
  }

  private void link(String path, String target) {
    nodes.add(new FsNode.Symlink(path, NodeMeta.of(0777), target));
  }

  private static ElfFixture program() {
    return ElfFixture.x86_64()
        .type(3)
        .interpreter("/lib64/ld-linux-x86-64.so.2")
        .needed("libc.so.6");
  }

  private void glibcBase() {
    link("/lib64", "usr/lib64");
    link("/usr/lib64/ld-linux-x86-64.so.2", "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    file(LIB + "ld-linux-x86-64.so.2", 0755, ElfFixture.x86_64().bytes());
    file(
        LIB + "libc.so.6",
        0755,
        ElfFixture.x86_64().soname("libc.so.6").defines("iconv_open").bytes());
  }

  private static Snapshot snapshot(RootFs fs, ObjectNode config) {
    ObjectNode image = new ObjectMapper().createObjectNode();
    image.set("config", config);
    Source source =
        new Source(
            Source.Kind.IMAGE,
            "sha256:" + "b".repeat(64),
            "b".repeat(12),
            "img",
            "sha256:" + "b".repeat(64),
            image,
            1);
    return new Snapshot(fs, source, Optional.empty(), TracedPaths.none());
  }

  private static ObjectNode config() {
    return new ObjectMapper().createObjectNode();
  }

  @Test
  void scriptClosure_keepsCommandsWithHops_andConfigShellStrings() {
    file("/usr/bin/mawk", 0755, program().bytes());
    link("/usr/bin/awk", "/etc/alternatives/awk");
    link("/etc/alternatives/awk", "/usr/bin/mawk");
    file("/usr/bin/dash", 0755, program().bytes());
    link("/bin", "usr/bin");
    link("/usr/bin/sh", "dash");
    file("/usr/sbin/nginx", 0755, program().bytes());
    file("/usr/bin/curl", 0755, program().bytes());
    text("/app/run.sh", 0755, "#!/bin/sh\nawk 1 \"$@\"\nnot-here\n");
    file("/usr/bin/excluded-tool", 0755, program().bytes());
    text("/usr/share/doc/x/example.sh", 0755, "#!/bin/sh\nexcluded-tool\n");
    text("/var/lib/dpkg/info/x.postinst", 0755, "#!/bin/sh\nexcluded-tool\n");
    RootFs fs = RootFs.of(nodes);
    ObjectNode cfg = config();
    cfg.putArray("Cmd").add("/bin/sh").add("-c").add("nginx -g 'daemon off;'");
    cfg.putObject("Healthcheck").putArray("Test").add("CMD-SHELL").add("curl -f http://127.0.0.1/");
    KeepPlan.Builder plan =
        KeepPlan.builder()
            .add("/app/run.sh", Reason.INCLUDE)
            .add("/usr/share/doc/x/example.sh", Reason.CHANGE_SET)
            .add("/var/lib/dpkg/info/x.postinst", Reason.CHANGE_SET)
            .exclude(new dev.skinnywhale.assemble.PathGlob("/usr/share/doc"));

    new ScriptClosureContributor(true).contribute(snapshot(fs, cfg), plan, reporter);
    Map<String, KeepEntry> kept = plan.build().entries();
    assertEquals(only(Reason.SCRIPT), kept.get("/usr/bin/mawk").reasons());
    assertTrue(kept.get("/usr/bin/awk").reasons().contains(Reason.SYMLINK_HOP));
    assertTrue(kept.get("/etc/alternatives/awk").reasons().contains(Reason.SYMLINK_HOP));
    assertTrue(kept.get("/usr/sbin/nginx").reasons().contains(Reason.SCRIPT));
    assertTrue(kept.get("/usr/bin/curl").reasons().contains(Reason.SCRIPT));
    assertTrue(kept.get("/usr/bin/dash").reasons().contains(Reason.SCRIPT), "CMD-SHELL's /bin/sh");
    assertFalse(kept.containsKey("/usr/bin/excluded-tool"), "excluded and dpkg scripts analysed");
    assertTrue(
        said.stream().anyMatch(s -> s.startsWith("debug script: not-here (/app/run.sh:3)")),
        said.toString());
    assertTrue(said.stream().noneMatch(s -> s.startsWith("warn")), said.toString());
  }

  private static Profile need(String name, String symbol, String marker, String glob) {
    return new Profile(
        Profile.SCHEMA_VERSION,
        name,
        "",
        Optional.empty(),
        TracerKind.HAND_WRITTEN,
        List.of(),
        List.of(marker),
        List.of(symbol),
        List.of(ProfileEntry.of(glob, EntryType.GLOB, Why.INCLUDE)),
        Optional.empty());
  }

  @Test
  void scriptClosure_installCommandOfAStoppedContainer_notRead() {
    file("/usr/bin/apt-get", 0755, program().bytes());
    file("/usr/bin/curl", 0755, program().bytes());
    ObjectNode cfg = config();
    cfg.putArray("Cmd").add("sh").add("-c").add("apt-get update && apt-get install -y curl");
    cfg.putObject("Healthcheck").putArray("Test").add("CMD").add("sh").add("-c").add("curl -f x");
    KeepPlan.Builder plan = KeepPlan.builder();
    new ScriptClosureContributor(false).contribute(snapshot(RootFs.of(nodes), cfg), plan, reporter);
    Map<String, KeepEntry> kept = plan.build().entries();
    assertFalse(kept.containsKey("/usr/bin/apt-get"), kept.toString());
    assertTrue(kept.containsKey("/usr/bin/curl"), "the healthcheck is still read");
  }

  private static List<ProfileStore.Stored> needs() {
    return List.of(
        new ProfileStore.Stored(
            "gconv",
            ProfileStore.Origin.SHIPPED,
            "shipped:gconv.json",
            need("gconv", "iconv_open", "/usr/lib/*/gconv/gconv-modules", "/usr/lib/*/gconv/**")),
        new ProfileStore.Stored(
            "nss",
            ProfileStore.Origin.SHIPPED,
            "shipped:nss.json",
            need("nss", "getpw*", "/etc/nsswitch.conf", "/etc/nsswitch.conf")));
  }

  @Test
  void symbolNeeds_importedThroughALibrary_keepTheProfilesEntries() {
    glibcBase();
    text(LIB + "gconv/gconv-modules", 0644, "module\n");
    text(LIB + "gconv/EUC-JP.so", 0644, "x");
    text("/etc/nsswitch.conf", 0644, "passwd: files\n");
    file(
        LIB + "libxml2.so.2",
        0755,
        ElfFixture.x86_64().needed("libc.so.6").imports("iconv_open").bytes());
    file("/usr/bin/xmllint", 0755, program().needed("libxml2.so.2").imports("puts").bytes());
    RootFs fs = RootFs.of(nodes);
    KeepPlan.Builder plan = KeepPlan.builder().add("/usr/bin/xmllint", Reason.TRACED);

    new SymbolNeedsContributor(needs()).contribute(snapshot(fs, config()), plan, reporter);
    Map<String, KeepEntry> kept = plan.build().entries();
    assertTrue(kept.get(LIB + "gconv/EUC-JP.so").reasons().contains(Reason.SYMBOL_NEED));
    assertTrue(kept.containsKey(LIB + "gconv/gconv-modules"));
    assertFalse(kept.containsKey("/etc/nsswitch.conf"), "nothing imports getpw*");
    assertTrue(
        said.contains(
            "info kept for imported symbols: gconv (iconv_open in " + LIB + "libxml2.so.2)"),
        said.toString());
  }

  @Test
  void symbolNeeds_secondRoundOfTheFixedPoint_saysNothingNew() {
    glibcBase();
    text(LIB + "gconv/gconv-modules", 0644, "module\n");
    file("/usr/bin/iconv", 0755, program().needed("libc.so.6").imports("iconv_open").bytes());
    RootFs fs = RootFs.of(nodes);
    KeepPlan.Builder plan = KeepPlan.builder().add("/usr/bin/iconv", Reason.TRACED);
    SymbolNeedsContributor needs = new SymbolNeedsContributor(needs());

    needs.contribute(snapshot(fs, config()), plan, reporter);
    needs.contribute(snapshot(fs, config()), plan, reporter);
    assertEquals(
        1,
        said.stream().filter(s -> s.startsWith("info kept for imported symbols")).count(),
        said.toString());
    assertTrue(plan.build().entries().containsKey(LIB + "gconv/gconv-modules"));
  }

  @Test
  void symbolNeeds_staticProgramBesideGlibc_keepsNothing() {
    glibcBase();
    text(LIB + "gconv/gconv-modules", 0644, "module\n");
    file("/app/static", 0755, ElfFixture.x86_64().type(2).noDynamic().bytes());
    RootFs fs = RootFs.of(nodes);
    KeepPlan.Builder plan = KeepPlan.builder().add("/app/static", Reason.TRACED);
    new SymbolNeedsContributor(needs()).contribute(snapshot(fs, config()), plan, reporter);
    assertEquals(List.of("/app/static"), List.copyOf(plan.build().entries().keySet()));
    assertTrue(said.isEmpty(), said.toString());
  }

  @Test
  void symbolNeeds_dlopenLiterals_keptWhereTheImageHasThem() {
    glibcBase();
    file(LIB + "liblz4.so.1", 0755, ElfFixture.x86_64().bytes());
    file(
        "/usr/bin/journal",
        0755,
        program().imports("dlopen").rodata("liblz4.so.1", "libzstd.so.1").bytes());
    RootFs fs = RootFs.of(nodes);
    KeepPlan.Builder plan = KeepPlan.builder().add("/usr/bin/journal", Reason.CHANGE_SET);
    new SymbolNeedsContributor(List.of()).contribute(snapshot(fs, config()), plan, reporter);
    assertEquals(
        only(Reason.DLOPEN_LITERAL), plan.build().entries().get(LIB + "liblz4.so.1").reasons());
    assertTrue(
        said.contains(
            "debug dlopen-literal: \"libzstd.so.1\" in /usr/bin/journal is not in the image"),
        said.toString());
  }

  private static java.util.Set<Reason> only(Reason r) {
    return java.util.EnumSet.of(r);
  }
}
