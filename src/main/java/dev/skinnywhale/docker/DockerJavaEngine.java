package dev.skinnywhale.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ChangeLog;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.skinnywhale.docker.EngineException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The engine through docker-java: its typed commands where it has them (diff, create, start, wait,
 * kill, logs, exec, commit, remove), and {@link EngineTransport}'s raw calls through its
 * httpclient5 transport for the rest (inspect, export, archive in and out, load). Only the classes
 * of this package import docker-java.
 */
public final class DockerJavaEngine implements DockerEngine {
  private final DockerClient client;
  private final EngineTransport raw;
  private final EngineErrors errors;
  private final InspectAnswers inspect;

  private DockerJavaEngine(DockerClientConfig config, DockerHttpClient http, ObjectMapper json) {
    SharedMapperConfig shared = new SharedMapperConfig(config);
    this.client = DockerClientImpl.getInstance(shared, http);
    this.errors = new EngineErrors(config.getDockerHost());
    this.raw = new EngineTransport(http, json, errors);
    this.inspect = new InspectAnswers(json);
    warmUp(client, shared.getObjectMapper());
  }

  /**
   * Writes and reads, on a thread of its own and without sending anything, what the first container
   * create, exec, start and wait send and answer, so that their classes (docker-java's commands and
   * models, Jackson's serializers for them) are loaded and initialised while the run looks up its
   * input instead of before its first container: measured, the first create came 85 ms earlier on a
   * 2-core machine. The mapper is the client's own ({@link SharedMapperConfig}), so the bean
   * serializers it builds are the ones the first create and exec use.
   */
  private static void warmUp(DockerClient client, ObjectMapper mapper) {
    Thread thread =
        new Thread(
            () -> {
              try {
                mapper.writeValueAsBytes(
                    client
                        .createContainerCmd("warm-up")
                        .withHostConfig(
                            RunOptionsMapping.hostConfig(RunOptions.NONE)
                                .withNetworkMode("none")
                                .withPrivileged(false))
                        .withLabels(java.util.Map.of("a", "b"))
                        .withHealthcheck(
                            new com.github.dockerjava.api.model.HealthCheck()
                                .withTest(List.of("NONE")))
                        .withEntrypoint(List.of("a"))
                        .withCmd(List.of("b"))
                        .withEnv(List.of("A=B"))
                        .withUser("0:0"));
                mapper.readValue(
                    "{\"Id\":\"a\",\"Warnings\":[]}",
                    com.github.dockerjava.api.command.CreateContainerResponse.class);
                mapper.writeValueAsBytes(
                    client
                        .execCreateCmd("a")
                        .withCmd("a")
                        .withAttachStdout(true)
                        .withAttachStderr(true));
                mapper.readValue(
                    "{\"Id\":\"a\"}",
                    com.github.dockerjava.api.command.ExecCreateCmdResponse.class);
                mapper.readValue(
                    "{\"ExitCode\":0,\"Running\":false}",
                    com.github.dockerjava.api.command.InspectExecResponse.class);
                mapper.readValue(
                    "{\"StatusCode\":0}", com.github.dockerjava.api.model.WaitResponse.class);
              } catch (java.io.IOException | RuntimeException | LinkageError e) {
                // only a warm-up: the real call reports what is wrong
              }
            },
            "skinnywhale-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** An engine as the environment names it ({@code DOCKER_HOST}, default the local socket). */
  public static DockerJavaEngine fromEnvironment(ObjectMapper json) {
    try {
      DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
      DockerHttpClient http =
          new ApacheDockerHttpClient.Builder()
              .dockerHost(config.getDockerHost())
              .sslConfig(sslConfig(config))
              .maxConnections(16)
              .connectionTimeout(Duration.ofSeconds(10))
              .build();
      return new DockerJavaEngine(config, http, json);
    } catch (RuntimeException e) {
      throw new EngineUnavailableException(
          "cannot use the Docker engine named by DOCKER_HOST="
              + System.getenv().getOrDefault("DOCKER_HOST", "(unset)")
              + " ("
              + EngineErrors.rootMessage(e)
              + "); skinnywhale talks to unix:// and tcp:// engines",
          e);
    }
  }

  /**
   * The engine's TLS settings; for a local socket a context no connection uses. Without any, the
   * transport builds the JVM's default TLS context (its providers initialised, all the system's CA
   * certificates parsed: about 0.1 s of every run's start-up), though a unix socket never speaks
   * TLS.
   */
  static com.github.dockerjava.transport.SSLConfig sslConfig(DockerClientConfig config) {
    com.github.dockerjava.transport.SSLConfig ssl = config.getSSLConfig();
    if (ssl != null || !"unix".equals(config.getDockerHost().getScheme())) {
      return ssl;
    }
    return () -> UNUSED_TLS;
  }

  /** A TLS context that is never used: any use of it fails. */
  private static final javax.net.ssl.SSLContext UNUSED_TLS =
      new javax.net.ssl.SSLContext(new UnusedTls(), null, "TLS") {};

  private static final class UnusedTls extends javax.net.ssl.SSLContextSpi {
    private static IllegalStateException unused() {
      return new IllegalStateException("TLS to a unix socket");
    }

    @Override
    protected void engineInit(
        javax.net.ssl.KeyManager[] km,
        javax.net.ssl.TrustManager[] tm,
        java.security.SecureRandom sr) {
      throw unused();
    }

    @Override
    protected javax.net.ssl.SSLSocketFactory engineGetSocketFactory() {
      throw unused();
    }

    @Override
    protected javax.net.ssl.SSLServerSocketFactory engineGetServerSocketFactory() {
      throw unused();
    }

    @Override
    protected javax.net.ssl.SSLEngine engineCreateSSLEngine() {
      throw unused();
    }

    @Override
    protected javax.net.ssl.SSLEngine engineCreateSSLEngine(String host, int port) {
      throw unused();
    }

    @Override
    protected javax.net.ssl.SSLSessionContext engineGetServerSessionContext() {
      throw unused();
    }

    @Override
    protected javax.net.ssl.SSLSessionContext engineGetClientSessionContext() {
      throw unused();
    }
  }

  @Override
  public void ping() {
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new EngineUnavailableException(
          "cannot reach the Docker engine at " + errors.host() + ": " + EngineErrors.rootMessage(e),
          e);
    }
  }

  @Override
  public Optional<ContainerDetails> findContainer(String ref) {
    if (!EngineTransport.isReference(ref)) {
      return Optional.empty();
    }
    String path = "/containers/" + EngineTransport.encode(ref) + "/json?size=1";
    return raw.getJson(path, "inspecting container " + ref).map(inspect::container);
  }

  @Override
  public Optional<ImageDetails> findImage(String ref) {
    if (!EngineTransport.isReference(ref)) {
      return Optional.empty();
    }
    String path = "/images/" + EngineTransport.encode(ref) + "/json";
    return raw.getJson(path, "inspecting image " + ref).map(inspect::image);
  }

  @Override
  public List<Change> diff(String containerId) {
    try {
      List<ChangeLog> changes = client.containerDiffCmd(containerId).exec();
      List<Change> out = new ArrayList<>();
      if (changes != null) {
        for (ChangeLog c : changes) {
          out.add(new Change(Change.Kind.ofCode(c.getKind()), c.getPath()));
        }
      }
      return out;
    } catch (RuntimeException e) {
      throw errors.wrap("listing the changes of container " + containerId, e);
    }
  }

  @Override
  public InputStream export(String containerId) {
    return raw.get(
        "/containers/" + EngineTransport.encode(containerId) + "/export",
        "exporting " + containerId);
  }

  @Override
  public InputStream save(String imageId) {
    return raw.get("/images/" + EngineTransport.encode(imageId) + "/get", "saving " + imageId);
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    try {
      HostConfig hostConfig =
          RunOptionsMapping.hostConfig(spec.run())
              .withNetworkMode(spec.network())
              .withPrivileged(false);
      // As the docker CLI sends --security-opt seccomp=FILE: the file's JSON text itself.
      spec.seccompProfile().ifPresent(p -> hostConfig.withSecurityOpts(List.of("seccomp=" + p)));
      CreateContainerCmd cmd =
          client
              .createContainerCmd(spec.image())
              .withHostConfig(hostConfig)
              .withLabels(spec.labels())
              // the engine never runs the image's own healthcheck in a container of ours: a probe
              // runs it itself, traced, when it should (HealthProbe); a helper must not change
              // the filesystem it reads
              .withHealthcheck(
                  new com.github.dockerjava.api.model.HealthCheck().withTest(List.of("NONE")));
      spec.entrypoint().ifPresent(e -> cmd.withEntrypoint(e.isEmpty() ? List.of("") : e));
      spec.cmd().ifPresent(cmd::withCmd);
      if (!spec.env().isEmpty()) {
        cmd.withEnv(spec.env());
      }
      spec.user().ifPresent(cmd::withUser);
      spec.workingDir().ifPresent(cmd::withWorkingDir);
      return cmd.exec().getId();
    } catch (RuntimeException e) {
      throw errors.wrap("creating a container from " + spec.image(), e);
    }
  }

  @Override
  public void start(String containerId) {
    try {
      client.startContainerCmd(containerId).exec();
    } catch (NotModifiedException e) {
      // already running
    } catch (RuntimeException e) {
      throw errors.wrap("starting container " + containerId, e);
    }
  }

  @Override
  public Optional<Integer> waitFor(String containerId, Duration timeout) {
    String what = "waiting for container " + containerId;
    WaitContainerResultCallback wait;
    try {
      wait = client.waitContainerCmd(containerId).start();
    } catch (RuntimeException e) {
      throw errors.wrap(what, e);
    }
    try {
      if (!wait.awaitCompletion(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
        close(wait); // still running: stop waiting, free the connection
        return Optional.empty();
      }
      return Optional.ofNullable(wait.awaitStatusCode());
    } catch (InterruptedException e) {
      close(wait);
      Thread.currentThread().interrupt();
      throw new EngineException(
          Kind.INTERRUPTED, "interrupted while waiting for container " + containerId, e);
    } catch (RuntimeException e) {
      throw errors.wrap(what, e);
    }
  }

  private static void close(WaitContainerResultCallback wait) {
    try {
      wait.close();
    } catch (IOException e) {
      // the wait is abandoned either way
    }
  }

  @Override
  public void kill(String containerId) {
    try {
      client.killContainerCmd(containerId).exec();
    } catch (RuntimeException e) {
      // Already stopped (409) or gone: nothing to kill.
    }
  }

  @Override
  public String logs(String containerId) {
    OutputExcerpt out = new OutputExcerpt();
    try {
      client
          .logContainerCmd(containerId)
          .withStdOut(true)
          .withStdErr(true)
          .withFollowStream(false)
          .withTail(200)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(60, TimeUnit.SECONDS);
      return out.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(
          Kind.INTERRUPTED, "interrupted while reading the logs of " + containerId, e);
    } catch (RuntimeException e) {
      throw errors.wrap("reading the logs of container " + containerId, e);
    }
  }

  @Override
  public ExecResult exec(
      String containerId, List<String> argv, List<String> env, Duration timeout) {
    return new Exec(client, errors).run(containerId, argv, env, timeout);
  }

  @Override
  public boolean canStreamExec() {
    return true;
  }

  @Override
  public ExecStream execStream(String containerId, List<String> argv) {
    return raw.exec(containerId, argv);
  }

  @Override
  public ExecSession execSession(String containerId, List<String> argv) {
    return raw.session(containerId, argv);
  }

  @Override
  public boolean volumeExists(String name) {
    if (!EngineTransport.isReference(name)) {
      return false;
    }
    return raw.getJson("/volumes/" + EngineTransport.encode(name), "inspecting volume " + name)
        .isPresent();
  }

  @Override
  public void copyInto(String containerId, String directory, InputStream tar) {
    raw.putArchive(
        containerId, directory, tar, "copying into " + directory + " of container " + containerId);
  }

  @Override
  public InputStream copyOut(String containerId, String path) {
    return raw.get(
        "/containers/"
            + EngineTransport.encode(containerId)
            + "/archive?path="
            + EngineTransport.encodeQuery(path),
        "copying " + path + " out of container " + containerId);
  }

  @Override
  public boolean networkExists(String name) {
    if (name.equals("none") || name.equals("host")) {
      return true;
    }
    if (!EngineTransport.isReference(name)) {
      return false;
    }
    return raw.getJson("/networks/" + EngineTransport.encode(name), "inspecting network " + name)
        .isPresent();
  }

  @Override
  public String commit(String containerId, Map<String, String> labels) {
    try {
      return client.commitCmd(containerId).withPause(false).withLabels(labels).exec();
    } catch (RuntimeException e) {
      throw errors.wrap("committing container " + containerId, e);
    }
  }

  @Override
  public void removeContainer(String containerId) {
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      throw errors.wrap("removing container " + containerId, e);
    }
  }

  @Override
  public void removeImage(String imageId) {
    try {
      client.removeImageCmd(imageId).withForce(false).withNoPrune(false).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      throw errors.wrap("removing image " + imageId, e);
    }
  }

  @Override
  public void load(InputStream archive) {
    raw.load(archive);
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // nothing useful to do on close
    }
  }
}
