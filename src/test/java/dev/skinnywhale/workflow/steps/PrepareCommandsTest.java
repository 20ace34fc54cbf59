package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.keep.TraceFixture.FS;
import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How smoke commands are run: through the shell, split into words, or as a script. */
class PrepareCommandsTest {
  @Test
  void commands_shellWhenTheImageHasOne_argvOtherwise() {
    RootFs withShell =
        RootFs.of(
            List.of(
                file("/usr/bin/dash"),
                new FsNode.Symlink("/bin/sh", NodeMeta.of(0777), "/usr/bin/dash")));
    assertEquals(
        List.of(ProbeCommand.shell("/bin/sh", "a 'b c'")),
        PrepareCommands.of(List.of("a 'b c'"), Optional.empty(), withShell));
    assertEquals(
        List.of(new ProbeCommand("a 'b c'", List.of("a", "b c"))),
        PrepareCommands.of(List.of("a 'b c'"), Optional.empty(), FS));
    assertThrows(
        UnusableInputException.class,
        () -> PrepareCommands.of(List.of("a 'b"), Optional.empty(), FS));
    assertThrows(
        UnusableInputException.class,
        () -> PrepareCommands.of(List.of(" "), Optional.empty(), withShell));
  }

  @Test
  void commands_runFile_shebangDecidesElseTheShell() {
    RootFs withShell =
        RootFs.of(
            List.of(
                file("/usr/bin/dash"),
                new FsNode.Symlink("/bin/sh", NodeMeta.of(0777), "/usr/bin/dash")));
    var bash = Optional.of(new PrepareCommands.RunFile("t.sh", "#!/bin/bash\necho hi\n"));
    var plain = Optional.of(new PrepareCommands.RunFile("t.sh", "echo hi\n"));
    ProbeCommand byShebang = PrepareCommands.of(List.of(), bash, FS).get(0);
    assertEquals(List.of(ProbeCommand.SCRIPT_PATH), byShebang.argv());
    assertEquals("--run-file t.sh", byShebang.text());
    assertEquals(
        List.of("/bin/sh", ProbeCommand.SCRIPT_PATH),
        PrepareCommands.of(List.of(), plain, withShell).get(0).argv());
    assertThrows(UnusableInputException.class, () -> PrepareCommands.of(List.of(), plain, FS));
  }
}
