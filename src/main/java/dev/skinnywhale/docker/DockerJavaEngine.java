package dev.skinnywhale.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerClientException;
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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The only class that talks to docker-java: typed commands where docker-java has them, and raw
 * calls through its httpclient5 transport for what it lacks (export) or loses (inspect JSON is read
 * raw so that no config field is dropped).
 */
public final class DockerJavaEngine implements DockerEngine {
  private final DockerClientConfig config;
  private final DockerHttpClient http;
  private final DockerClient client;
  private final ObjectMapper json;

  private DockerJavaEngine(DockerClientConfig config, DockerHttpClient http, ObjectMapper json) {
    this.config = config;
    this.http = http;
    this.client = DockerClientImpl.getInstance(config, http);
    this.json = json;
  }

  /** An engine as the environment names it ({@code DOCKER_HOST}, default the local socket). */
  public static DockerJavaEngine fromEnvironment(ObjectMapper json) {
    try {
      DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
      DockerHttpClient http =
          new ApacheDockerHttpClient.Builder()
              .dockerHost(config.getDockerHost())
              .sslConfig(config.getSSLConfig())
              .maxConnections(16)
              .connectionTimeout(Duration.ofSeconds(10))
              .build();
      return new DockerJavaEngine(config, http, json);
    } catch (RuntimeException e) {
      throw new EngineUnavailableException(
          "cannot use the Docker engine named by DOCKER_HOST="
              + System.getenv().getOrDefault("DOCKER_HOST", "(unset)")
              + " ("
              + rootMessage(e)
              + "); skinnywhale talks to unix:// and tcp:// engines",
          e);
    }
  }

  private URI host() {
    return config.getDockerHost();
  }

  @Override
  public void ping() {
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new EngineUnavailableException(
          "cannot reach the Docker engine at " + host() + ": " + rootMessage(e), e);
    }
  }

  @Override
  public Optional<ContainerDetails> findContainer(String ref) {
    if (!isReference(ref)) {
      return Optional.empty();
    }
    return getJson("/containers/" + encode(ref) + "/json?size=1", "inspecting container " + ref)
        .map(
            c ->
                new ContainerDetails(
                    c.path("Id").asText(),
                    stripSlash(c.path("Name").asText("")),
                    c.path("Image").asText(""),
                    c.path("State").path("Running").asBoolean(false),
                    c.path("Created").asText(""),
                    c.path("SizeRootFs").asLong(0),
                    objectOrEmpty(c.get("Config"))));
  }

  @Override
  public Optional<ImageDetails> findImage(String ref) {
    if (!isReference(ref)) {
      return Optional.empty();
    }
    return getJson("/images/" + encode(ref) + "/json", "inspecting image " + ref)
        .map(
            i -> {
              ObjectNode imageConfig = json.createObjectNode();
              copyText(i, "Architecture", imageConfig, "architecture");
              copyText(i, "Variant", imageConfig, "variant");
              copyText(i, "Os", imageConfig, "os");
              copyText(i, "OsVersion", imageConfig, "os.version");
              copyText(i, "Created", imageConfig, "created");
              copyText(i, "Author", imageConfig, "author");
              copyText(i, "DockerVersion", imageConfig, "docker_version");
              imageConfig.set("config", objectOrEmpty(i.get("Config")));
              List<String> tags = new ArrayList<>();
              i.path("RepoTags").forEach(t -> tags.add(t.asText()));
              List<String> layers = new ArrayList<>();
              i.path("RootFS").path("Layers").forEach(l -> layers.add(l.asText()));
              return new ImageDetails(
                  i.path("Id").asText(), tags, i.path("Size").asLong(0), layers, imageConfig);
            });
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
      throw wrap("listing the changes of container " + containerId, e);
    }
  }

  @Override
  public InputStream export(String containerId) {
    return stream(
        "GET", "/containers/" + encode(containerId) + "/export", null, "exporting " + containerId);
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    try {
      HostConfig hostConfig =
          HostConfig.newHostConfig().withNetworkMode(spec.network()).withPrivileged(false);
      CreateContainerCmd cmd =
          client
              .createContainerCmd(spec.image())
              .withHostConfig(hostConfig)
              .withLabels(spec.labels());
      spec.entrypoint().ifPresent(e -> cmd.withEntrypoint(e.isEmpty() ? List.of("") : e));
      spec.cmd().ifPresent(cmd::withCmd);
      if (!spec.env().isEmpty()) {
        cmd.withEnv(spec.env());
      }
      spec.user().ifPresent(cmd::withUser);
      spec.workingDir().ifPresent(cmd::withWorkingDir);
      return cmd.exec().getId();
    } catch (RuntimeException e) {
      throw wrap("creating a container from " + spec.image(), e);
    }
  }

  @Override
  public void start(String containerId) {
    try {
      client.startContainerCmd(containerId).exec();
    } catch (NotModifiedException e) {
      // already running
    } catch (RuntimeException e) {
      throw wrap("starting container " + containerId, e);
    }
  }

  @Override
  public Optional<Integer> waitFor(String containerId, Duration timeout) {
    try {
      Integer code =
          client
              .waitContainerCmd(containerId)
              .start()
              .awaitStatusCode(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      return Optional.ofNullable(code);
    } catch (DockerClientException e) {
      if (String.valueOf(e.getMessage()).contains("timeout")
          || e.getCause() instanceof InterruptedException) {
        if (Thread.currentThread().isInterrupted()) {
          throw new EngineException("interrupted while waiting for container " + containerId, e);
        }
        return Optional.empty();
      }
      throw wrap("waiting for container " + containerId, e);
    } catch (RuntimeException e) {
      throw wrap("waiting for container " + containerId, e);
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
    StringBuilder out = new StringBuilder();
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
      throw new EngineException("interrupted while reading the logs of " + containerId, e);
    } catch (RuntimeException e) {
      throw wrap("reading the logs of container " + containerId, e);
    }
  }

  @Override
  public void copyInto(String containerId, String directory, InputStream tar) {
    try {
      client
          .copyArchiveToContainerCmd(containerId)
          .withRemotePath(directory)
          .withTarInputStream(tar)
          .exec();
    } catch (RuntimeException e) {
      throw wrap("copying into " + directory + " of container " + containerId, e);
    }
  }

  @Override
  public InputStream copyOut(String containerId, String path) {
    return stream(
        "GET",
        "/containers/" + encode(containerId) + "/archive?path=" + encodeQuery(path),
        null,
        "copying " + path + " out of container " + containerId);
  }

  @Override
  public boolean networkExists(String name) {
    if (name.equals("none") || name.equals("host")) {
      return true;
    }
    if (!isReference(name)) {
      return false;
    }
    return getJson("/networks/" + encode(name), "inspecting network " + name).isPresent();
  }

  @Override
  public String commit(String containerId, java.util.Map<String, String> labels) {
    try {
      return client.commitCmd(containerId).withPause(false).withLabels(labels).exec();
    } catch (RuntimeException e) {
      throw wrap("committing container " + containerId, e);
    }
  }

  @Override
  public void removeContainer(String containerId) {
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      throw wrap("removing container " + containerId, e);
    }
  }

  @Override
  public void removeImage(String imageId) {
    try {
      client.removeImageCmd(imageId).withForce(false).withNoPrune(false).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      throw wrap("removing image " + imageId, e);
    }
  }

  @Override
  public void load(InputStream archive) {
    try (InputStream response =
        stream("POST", "/images/load?quiet=1", archive, "loading the image")) {
      String body = new String(response.readAllBytes(), StandardCharsets.UTF_8);
      // The engine streams JSON messages; an error arrives as {"errorDetail":…,"error":"…"}.
      for (String line : body.split("\r?\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode msg = json.readTree(line);
        if (msg.hasNonNull("error")) {
          throw new EngineException("loading the image: " + msg.get("error").asText());
        }
      }
    } catch (IOException e) {
      throw new EngineException("loading the image: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // nothing useful to do on close
    }
  }

  // --- raw transport ---

  private Optional<ObjectNode> getJson(String path, String what) {
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path(path)
            .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      int status = response.getStatusCode();
      byte[] body = response.getBody().readAllBytes();
      if (status == 404) {
        return Optional.empty();
      }
      if (status / 100 != 2) {
        throw new EngineException(what + ": engine answered " + status + ": " + message(body));
      }
      JsonNode node = json.readTree(body);
      if (!(node instanceof ObjectNode object)) {
        throw new EngineException(what + ": engine answered with no JSON object");
      }
      return Optional.of(object);
    } catch (IOException e) {
      throw new EngineException(what + ": " + e.getMessage(), e);
    } catch (EngineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw wrap(what, e);
    }
  }

  private InputStream stream(String method, String path, InputStream body, String what) {
    DockerHttpClient.Request.Builder builder =
        DockerHttpClient.Request.builder().method(method).path(path);
    if (body != null) {
      builder.body(body).putHeader("Content-Type", "application/x-tar");
    }
    DockerHttpClient.Response response;
    try {
      response = http.execute(builder.build());
    } catch (RuntimeException e) {
      throw wrap(what, e);
    }
    int status = response.getStatusCode();
    if (status / 100 != 2) {
      String msg;
      try {
        msg = message(response.getBody().readAllBytes());
      } catch (IOException e) {
        msg = e.getMessage();
      } finally {
        response.close();
      }
      if (status == 404) {
        throw new EngineException(what + ": not found: " + msg);
      }
      throw new EngineException(what + ": engine answered " + status + ": " + msg);
    }
    return new FilterInputStream(response.getBody()) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          response.close();
        }
      }
    };
  }

  private String message(byte[] body) {
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return node.get("message").asText();
      }
    } catch (IOException e) {
      // not JSON
    }
    return new String(body, StandardCharsets.UTF_8).strip();
  }

  private EngineException wrap(String what, RuntimeException e) {
    if (e instanceof EngineException ee) {
      return ee;
    }
    if (isConnectionFailure(e)) {
      return new EngineUnavailableException(
          "cannot reach the Docker engine at " + host() + " while " + what + ": " + rootMessage(e),
          e);
    }
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    return new EngineException(shortIds(what + ": " + engineMessage(msg)), e);
  }

  private static final java.util.regex.Pattern STATUS_JSON =
      java.util.regex.Pattern.compile(
          "^Status (\\d+): \\{\"message\":\"(.*)\"\\}\\s*$", java.util.regex.Pattern.DOTALL);

  /** docker-java's "Status 500: {"message":"…"}" as just the engine's message. */
  static String engineMessage(String msg) {
    java.util.regex.Matcher m = STATUS_JSON.matcher(msg);
    return m.matches() ? m.group(2).replace("\\\"", "\"") : msg;
  }

  /** Full 64-digit ids shortened to the 12 digits people see in docker ps. */
  static String shortIds(String msg) {
    return msg.replaceAll("\\b([0-9a-f]{12})[0-9a-f]{52}\\b", "$1");
  }

  private static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.NoRouteToHostException
          || t instanceof java.net.UnknownHostException
          || (t instanceof IOException
              && String.valueOf(t.getMessage()).contains("No such file"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private ObjectNode objectOrEmpty(JsonNode node) {
    return node instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode();
  }

  private static void copyText(JsonNode from, String key, ObjectNode to, String toKey) {
    JsonNode v = from.get(key);
    if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty())) {
      to.set(toKey, v.deepCopy());
    }
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  /**
   * Whether {@code ref} can name a container or image: no path tricks ("..", a leading '/', '?',
   * '#') reach the engine's URL space.
   */
  static boolean isReference(String ref) {
    return !ref.isEmpty()
        && ref.length() <= 512
        && ref.matches("[A-Za-z0-9][A-Za-z0-9._:/@+-]*")
        && !ref.contains("..")
        && !ref.contains("//");
  }

  /** Percent-encodes a container or image reference for a path, keeping '/', ':' and '@'. */
  static String encode(String ref) {
    StringBuilder out = new StringBuilder();
    for (byte b : ref.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~/:@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String encodeQuery(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
