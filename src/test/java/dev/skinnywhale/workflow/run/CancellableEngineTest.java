package dev.skinnywhale.workflow.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.workflow.FakeEngine;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The engine a run sees: the token checked first, in-flight results registered and removed. */
class CancellableEngineTest {
  static final Map<String, String> LABELS = Map.of(Run.TEMP_LABEL, "probe");

  final FakeEngine fake = new FakeEngine();
  final Cancellation token = new Cancellation();
  final Cleanup cleanup = new Cleanup(CleanupTest.QUIET);
  final CancellableEngine engine = new CancellableEngine(fake, token, cleanup);

  static ContainerSpec spec() {
    return ContainerSpec.forExport(FakeEngine.IMAGE_ID, LABELS);
  }

  private void cancel() {
    token.cancel(() -> {});
  }

  @Test
  void everyEngineMethod_isOverridden_soNoDefaultBypassesTheWrappedEngine() throws Exception {
    for (java.lang.reflect.Method m : dev.skinnywhale.docker.DockerEngine.class.getMethods()) {
      if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      assertEquals(
          CancellableEngine.class,
          CancellableEngine.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass(),
          m.toString());
    }
  }

  @Test
  void create_cancelledWhileInFlight_registersTheContainerAndRemovesIt() {
    fake.inFlight.put("create", this::cancel);
    assertThrows(CancelledException.class, () -> engine.createContainer(spec()));
    assertEquals(1, fake.created.size(), "the engine made the container");
    String id = fake.created.keySet().iterator().next();
    assertEquals(List.of(), fake.removed, "removed before the run reached its safe point");
    cleanup.close();
    assertEquals(List.of(id), fake.removed);
  }

  @Test
  void commit_cancelledWhileInFlight_registersTheImageAndRemovesIt() {
    fake.inFlight.put("commit", this::cancel);
    assertThrows(
        CancelledException.class, () -> engine.commit(FakeEngine.CONTAINER_ID, Map.of("a", "b")));
    cleanup.close();
    assertEquals(List.of(FakeEngine.COMMITTED_ID), fake.removedImages);
  }

  @Test
  void create_cancelledAfterTheRunCleanedUp_removesTheContainerAtOnce() {
    cleanup.close();
    fake.inFlight.put("create", this::cancel);
    assertThrows(CancelledException.class, () -> engine.createContainer(spec()));
    assertEquals(List.copyOf(fake.created.keySet()), fake.removed);
  }

  @Test
  void create_notCancelled_returnsTheIdAndRegistersNothing() {
    String id = engine.createContainer(spec());
    cleanup.close();
    assertEquals(List.of(id), List.copyOf(fake.created.keySet()));
    assertEquals(List.of(), fake.removed, "the caller registers its own container");
  }

  @Test
  void afterCancel_noCallReachesTheEngine_butTheUndoCallsDo() {
    cancel();
    List<Consumer<CancellableEngine>> calls =
        List.of(
            e -> e.ping(),
            e -> e.findContainer("app"),
            e -> e.findImage("app"),
            e -> e.diff(FakeEngine.CONTAINER_ID),
            e -> e.export(FakeEngine.CONTAINER_ID),
            e -> e.createContainer(spec()),
            e -> e.start("c1"),
            e -> e.waitFor("c1", Duration.ofSeconds(1)),
            e -> e.exec("c1", List.of("true"), List.of(), Duration.ofSeconds(1)),
            e -> e.volumeExists("v"),
            e -> e.logs("c1"),
            e -> e.copyInto("c1", "/", InputStream.nullInputStream()),
            e -> e.copyOut("c1", "/x"),
            e -> e.networkExists("none"),
            e -> e.commit(FakeEngine.CONTAINER_ID, Map.of()),
            e -> e.load(InputStream.nullInputStream()));
    for (Consumer<CancellableEngine> call : calls) {
      assertThrows(CancelledException.class, () -> call.accept(engine));
    }
    assertEquals(List.of(), fake.calls, "an engine call ran after the token was set");
    engine.kill("c1");
    engine.removeContainer("c1");
    engine.removeImage("sha256:1");
    assertEquals(List.of("kill c1", "removeContainer c1", "removeImage sha256:1"), fake.calls);
  }

  @Test
  void exportStream_stopsAtTheNextReadOnceCancelled() throws Exception {
    fake.containerFiles.put("/etc/hostname", "app\n".getBytes());
    try (InputStream in = engine.export(FakeEngine.CONTAINER_ID)) {
      assertTrue(in.read() >= 0);
      cancel();
      assertThrows(CancelledException.class, () -> in.read(new byte[512], 0, 512));
      assertThrows(CancelledException.class, in::read);
    }
  }

  @Test
  void waitFor_isWokenByTheToken_andTheInterruptDoesNotOutliveIt() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    fake.inFlight.put(
        "wait",
        () -> {
          waiting.countDown();
          try {
            Thread.sleep(60_000); // as DockerJavaEngine's awaitCompletion: interruptible
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineException.Kind.INTERRUPTED, "interrupted", e);
          }
        });
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread main =
        new Thread(
            () -> {
              try {
                engine.waitFor("c1", Duration.ofMinutes(5));
              } catch (RuntimeException e) {
                thrown.set(e);
              }
              interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
    long start = System.nanoTime();
    main.start();
    assertTrue(waiting.await(10, TimeUnit.SECONDS));
    cancel();
    main.join(10_000);
    assertFalse(main.isAlive(), "the wait was not woken");
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    assertTrue(thrown.get() instanceof CancelledException, "threw " + thrown.get());
    assertEquals(false, interruptedAfter.get(), "the wake-up interrupt outlived the wait");
  }

  @Test
  void waitFor_notCancelled_answersAsTheEngine() {
    String id = engine.createContainer(spec());
    fake.exitCodes.put(FakeEngine.IMAGE_ID, 3);
    assertEquals(java.util.Optional.of(3), engine.waitFor(id, Duration.ofSeconds(1)));
  }
}
