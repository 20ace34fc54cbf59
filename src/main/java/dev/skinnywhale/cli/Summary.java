package dev.skinnywhale.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.assemble.KeptFile;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.packages.PackageUsage;
import dev.skinnywhale.workflow.SlimResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Renders a slim result for people (a summary and the whale) or as JSON. */
final class Summary {
  private static final String WHALE =
      String.join(
          "\n",
          "                 .",
          "                \":\"",
          "              ___:____     |\"\\/\"|",
          "            ,'        `.    \\  /",
          "            |  o        \\___/  |",
          "          ~^~^~^~^~^~^~^~^~^~^~^~^~",
          "          skinny whale, happy whale");

  /**
   * A file kept for several reasons is counted once, under the first of these it has: what the user
   * or the source asked for before what was needed to make that work.
   */
  private static final java.util.List<Reason> PRIORITY =
      java.util.List.of(
          Reason.CHANGE_SET,
          Reason.INCLUDE,
          Reason.PROFILE,
          Reason.TRACED,
          Reason.BRUTE,
          Reason.CONFIG,
          Reason.SCRIPT,
          Reason.SYMBOL_NEED,
          Reason.DLOPEN_LITERAL,
          Reason.STATIC_CLOSURE,
          Reason.USER_FILE,
          Reason.BASICS,
          Reason.PACKAGE,
          Reason.PACKAGE_DB,
          Reason.CHANGE_SET_DIR,
          Reason.SYMLINK_HOP,
          Reason.PARENT);

  /** A reason's place in {@link #PRIORITY}; one not listed counts last, never first. */
  static int rank(Reason reason) {
    int i = PRIORITY.indexOf(reason);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /** Packages named in the summary, per state; --json lists all. */
  static final int TOP_PACKAGES = 8;

  private Summary() {}

  static void print(SlimResult r, PrintStream out, boolean debug) {
    printWithoutWhale(r, out, debug);
    if (r.closure().unresolved().isEmpty()) {
      out.println();
      out.println(WHALE);
    }
  }

  static void printWithoutWhale(SlimResult r, PrintStream out, boolean debug) {
    Map<Reason, long[]> totals = totals(r);
    out.println();
    out.printf("kept %d files (%s):%n", r.plan().kept().size(), bytes(sum(totals)));
    for (Map.Entry<Reason, long[]> e : totals.entrySet()) {
      out.printf(
          "  %-15s %7d files %12s%n",
          e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '),
          e.getValue()[0],
          bytes(e.getValue()[1]));
    }
    if (debug) {
      for (KeptFile k : r.plan().kept()) {
        out.printf("  kept %s %s%n", k.path(), k.reasons());
      }
    }
    printPackages(r, out);
    int unresolved = r.closure().unresolved().size();
    if (unresolved > 0) {
      out.printf(
          "%d libraries or interpreters could not be found (see the warnings above)%n", unresolved);
    }
    out.printf("before: %s%n", bytes(r.fatSize()));
    out.printf(
        "after:  %s (%.1f%% of before)%n",
        bytes(r.slimSize()), r.fatSize() > 0 ? 100.0 * r.slimSize() / r.fatSize() : 0.0);
    StringBuilder times = new StringBuilder("time:  ");
    Duration total = Duration.ZERO;
    for (Map.Entry<String, Duration> t : r.timings().entrySet()) {
      times.append(
          String.format(Locale.ROOT, " %s %.1fs", t.getKey(), t.getValue().toMillis() / 1000.0));
      total = total.plus(t.getValue());
    }
    times.append(String.format(Locale.ROOT, " (total %.1fs)", total.toMillis() / 1000.0));
    out.println(times);
    if (r.output().isPresent()) {
      var o = r.output().get();
      String digest = r.digest().map(d -> " " + d).orElse("");
      switch (o.transport()) {
        case DOCKER_ARCHIVE ->
            out.println(
                "wrote " + o + digest + " (load it with: docker load -i " + o.location() + ")");
        case REGISTRY -> out.println("pushed " + o + digest);
        default -> out.println("wrote " + o + digest);
      }
    } else {
      out.println("image: " + r.tag());
    }
  }

  /** Packages kept whole, in part, dropped: counts, then the largest of each kept state. */
  static void printPackages(SlimResult r, PrintStream out) {
    if (r.packages().isEmpty()) {
      return;
    }
    Map<PackageUsage.State, java.util.List<PackageUsage>> by =
        new EnumMap<>(PackageUsage.State.class);
    for (PackageUsage.State st : PackageUsage.State.values()) {
      by.put(st, new java.util.ArrayList<>());
    }
    r.packages().forEach(p -> by.get(p.state()).add(p));
    out.printf(
        "packages: %d kept whole, %d in part, %d dropped (of %d)%n",
        by.get(PackageUsage.State.WHOLE).size(),
        by.get(PackageUsage.State.PART).size(),
        by.get(PackageUsage.State.DROPPED).size(),
        r.packages().size());
    for (PackageUsage.State st :
        java.util.List.of(PackageUsage.State.WHOLE, PackageUsage.State.PART)) {
      java.util.List<PackageUsage> rows = new java.util.ArrayList<>(by.get(st));
      rows.sort(
          java.util.Comparator.comparingLong(PackageUsage::bytesKept)
              .reversed()
              .thenComparing(PackageUsage::name));
      for (PackageUsage p : rows.subList(0, Math.min(TOP_PACKAGES, rows.size()))) {
        out.printf(
            "  %-5s %-32s %6d/%-6d files %10s of %s%n",
            st == PackageUsage.State.WHOLE ? "whole" : "part",
            p.name(),
            p.filesKept(),
            p.files(),
            bytes(p.bytesKept()),
            bytes(p.bytes()));
      }
      if (rows.size() > TOP_PACKAGES) {
        out.printf(
            "  ... and %d more kept %s (--json lists all)%n",
            rows.size() - TOP_PACKAGES, st == PackageUsage.State.WHOLE ? "whole" : "in part");
      }
    }
  }

  static Map<Reason, long[]> totals(SlimResult r) {
    Map<Reason, long[]> totals = new EnumMap<>(Reason.class);
    for (KeptFile k : r.plan().kept()) {
      Reason primary =
          k.reasons().stream()
              .min(java.util.Comparator.comparingInt(Summary::rank))
              .orElse(Reason.PARENT);
      long[] t = totals.computeIfAbsent(primary, x -> new long[2]);
      t[0]++;
      t[1] += k.size();
    }
    return totals;
  }

  private static long sum(Map<Reason, long[]> totals) {
    return totals.values().stream().mapToLong(t -> t[1]).sum();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    String[] units = {"KB", "MB", "GB", "TB"};
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  static ObjectNode json(SlimResult r, com.fasterxml.jackson.databind.ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("source", r.source().reference());
    root.put("sourceId", r.source().id());
    root.put("sourceKind", r.source().kind().name().toLowerCase(Locale.ROOT));
    root.put("image", r.tag());
    r.output().ifPresent(o -> root.put("output", o.toString()));
    r.digest().ifPresent(d -> root.put("digest", d));
    root.put("sizeBefore", r.fatSize());
    root.put("sizeAfter", r.slimSize());
    root.put("changeSet", r.changeSetSize());
    ObjectNode kept = root.putObject("kept");
    for (Map.Entry<Reason, long[]> e : Summary.totals(r).entrySet()) {
      ObjectNode n = kept.putObject(e.getKey().name().toLowerCase(Locale.ROOT));
      n.put("files", e.getValue()[0]);
      n.put("bytes", e.getValue()[1]);
    }
    ArrayNode packages = root.putArray("packages");
    for (PackageUsage p : r.packages()) {
      packages
          .addObject()
          .put("name", p.name())
          .put("architecture", p.architecture())
          .put("version", p.version())
          .put("kept", p.state().name().toLowerCase(Locale.ROOT))
          .put("files", p.files())
          .put("filesKept", p.filesKept())
          .put("bytes", p.bytes())
          .put("bytesKept", p.bytesKept());
    }
    ArrayNode unresolved = root.putArray("unresolved");
    r.closure()
        .unresolved()
        .forEach(
            u ->
                unresolved
                    .addObject()
                    .put("name", u.name())
                    .put("neededBy", u.neededBy())
                    .put("reason", u.reason()));
    ObjectNode timings = root.putObject("seconds");
    r.timings().forEach((k, v) -> timings.put(k, v.toMillis() / 1000.0));
    return root;
  }
}
