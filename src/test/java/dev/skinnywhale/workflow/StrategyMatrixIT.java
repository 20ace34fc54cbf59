package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind the README's table (not part of CI: 15 traces): every case of {@link
 * PackageFixtures} traced from its smoke command alone with --keep traced, packages and changes;
 * the size of each slim image, whether the real work passes in it, and what each rule kept. Run
 * with {@code mvn verify -Dit.test=StrategyMatrixIT -Dskinnywhale.matrix=true}.
 */
@EnabledIfSystemProperty(named = "skinnywhale.matrix", matches = "true")
class StrategyMatrixIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> STRATEGIES = List.of("traced", "packages", "changes");

  @TempDir static Path dir;

  @BeforeAll
  static void docker() {
    DockerCli.requireDocker();
  }

  @Test
  void matrix() throws Exception {
    StringBuilder table = new StringBuilder();
    StringBuilder rules = new StringBuilder();
    table.append("| case | fat | traced | packages | changes |\n|---|---|---|---|---|\n");
    for (PackageFixtures.Case c : PackageFixtures.CASES) {
      String source = PackageFixtures.source(c, dir);
      List<String> cells = new ArrayList<>();
      long fat = 0;
      for (String keep : STRATEGIES) {
        String tag = "skinnywhale-it9/matrix-" + c.name() + "-" + keep + ":test";
        Skinnywhale.Result r =
            Skinnywhale.run(
                "trace",
                "--keep",
                keep,
                "--run",
                c.smoke(),
                "--no-verify",
                "--tag",
                tag,
                "--json",
                source);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode result = JSON.readTree(r.out());
        fat = result.path("sizeBefore").asLong();
        long slim = TraceJavaIT.imageSize(tag);
        DockerCli.Result work = PackageFixtures.work(c, tag);
        boolean ok = PackageFixtures.worked(c, work);
        cells.add(
            String.format(
                Locale.ROOT, "%s, %s %s", mb(slim), pct(slim, fat), ok ? "pass" : "FAIL"));
        if (!ok) {
          System.out.println(c.name() + " " + keep + " failed: " + work.all());
        }
        rules.append(c.name()).append(' ').append(keep).append(':');
        for (Iterator<Map.Entry<String, JsonNode>> it = result.path("kept").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          rules
              .append(' ')
              .append(e.getKey())
              .append('=')
              .append(mb(e.getValue().path("bytes").asLong()));
        }
        rules.append('\n');
        DockerCli.run("rmi", "-f", tag);
      }
      table.append("| ").append(c.name()).append(" | ").append(mb(fat));
      cells.forEach(cell -> table.append(" | ").append(cell));
      table.append(" |\n");
    }
    System.out.println("\n" + table + "\nwhat each rule kept (bytes by first reason):\n" + rules);
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  static String pct(long slim, long fat) {
    return String.format(Locale.ROOT, "%.0f %%", 100.0 * slim / fat);
  }
}
