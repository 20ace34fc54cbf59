package dev.skinnywhale.image.registry;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciIndexTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestListTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.skinnywhale.image.BlobRegion;
import dev.skinnywhale.image.BuiltImage;
import dev.skinnywhale.image.Digests;
import dev.skinnywhale.image.ImageFormatException;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.LayerReader;
import dev.skinnywhale.image.LayerTar;
import dev.skinnywhale.image.LayeredImage;
import dev.skinnywhale.image.ManifestJson;
import dev.skinnywhale.tar.TarFile;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The registry through jib-core's registry client: the Docker Registry HTTP API v2 with bearer
 * tokens and basic auth, credentials from the Docker client config ({@code auths}, {@code
 * credsStore}, {@code credHelpers}, as {@code DOCKER_CONFIG} or {@code ~/.docker/config.json} names
 * it), and plain HTTP only for registries named with {@code --insecure-registry}. The only class
 * that calls jib (with RegistryFailures, its error wording: only this package imports jib).
 * Manifests are pushed as the exact bytes {@link BuiltImage} made, so the digest the registry
 * reports is the one an OCI layout of the same image has.
 */
public final class JibRegistry implements Registry {
  private final RegistryOptions options;
  private final ManifestJson json;
  private final Consumer<String> debug;

  public JibRegistry(RegistryOptions options, ManifestJson json, Consumer<String> debug) {
    this.options = options;
    this.json = json;
    this.debug = debug;
  }

  @Override
  public LayeredImage pull(ImageReference reference, LayerReader layers, Path tempDir)
      throws IOException {
    com.google.cloud.tools.jib.api.ImageReference ref = parse(reference);
    String what = "pulling " + reference;
    RegistryClient client = client(ref, false, what);
    List<Closeable> resources = new ArrayList<>();
    boolean ok = false;
    try {
      BuildableManifestTemplate manifest = manifest(client, ref, what);
      DescriptorDigest configDigest = manifest.getContainerConfiguration().getDigest();
      byte[] configBytes = config(client, configDigest, what);
      ObjectNode config = json.config(configBytes, "config " + configDigest);
      List<String> diffIds = json.diffIds(config, "config " + configDigest);
      if (diffIds.size() != manifest.getLayers().size()) {
        throw new ImageFormatException(
            reference
                + ": the manifest names "
                + manifest.getLayers().size()
                + " layers, its config "
                + diffIds.size());
      }
      List<LayerTar> tars = new ArrayList<>();
      for (int i = 0; i < manifest.getLayers().size(); i++) {
        DescriptorDigest digest = manifest.getLayers().get(i).getDigest();
        Path download = Files.createTempFile(tempDir, "skinnywhale-pull-", ".blob");
        TarFile blobFile = TarFile.spool(download);
        try (OutputStream out =
            new BufferedOutputStream(Files.newOutputStream(download), 1 << 16)) {
          debug.accept("pulling layer " + digest);
          client.pullBlob(digest, size -> {}, n -> {}).writeTo(out);
        } catch (IOException | RuntimeException e) {
          blobFile.close();
          throw RegistryFailures.failure(what + ": layer " + digest, e);
        }
        LayerTar tar;
        try {
          tar =
              layers.read(
                  new BlobRegion(digest.toString(), blobFile, 0, blobFile.size()),
                  Optional.of(digest.toString()),
                  Optional.of(diffIds.get(i)));
        } catch (IOException | RuntimeException e) {
          blobFile.close();
          throw e;
        }
        if (tar.file() == blobFile) {
          resources.add(blobFile); // uncompressed: read where it was downloaded
        } else {
          blobFile.close(); // decompressed into a spool file of its own
        }
        tars.add(tar);
      }
      resources.add(layers);
      LayeredImage image = new LayeredImage(reference, configBytes, config, tars, resources);
      ok = true;
      return image;
    } finally {
      if (!ok) {
        layers.close();
        for (Closeable c : resources) {
          c.close();
        }
      }
    }
  }

  @Override
  public String push(ImageReference reference, BuiltImage image) throws IOException {
    com.google.cloud.tools.jib.api.ImageReference ref = parse(reference);
    String what = "pushing " + reference;
    RegistryClient client = client(ref, true, what);
    try {
      DescriptorDigest layer = digest(image.layer().digest());
      if (client.checkBlob(layer).isEmpty()) {
        debug.accept("pushing layer " + layer);
        client.pushBlob(layer, Blobs.from(image.layerFile()), null, n -> {});
      }
      DescriptorDigest config = digest(image.config().digest());
      if (client.checkBlob(config).isEmpty()) {
        client.pushBlob(
            config,
            Blobs.from(new java.io.ByteArrayInputStream(image.configBytes())),
            null,
            n -> {});
      }
      String tag = ref.getTag().orElse("latest");
      DescriptorDigest pushed =
          client.pushManifest(new RawManifest(json.mapper().readTree(image.manifestBytes())), tag);
      if (!pushed.toString().equals(image.manifestDigest())) {
        debug.accept(
            "the registry names the manifest " + pushed + ", we made " + image.manifestDigest());
      }
      return pushed.toString();
    } catch (IOException | com.google.cloud.tools.jib.api.RegistryException | RuntimeException e) {
      throw RegistryFailures.failure(what, e);
    }
  }

  /**
   * Our manifest bytes, serialized by jib's mapper exactly as we wrote them (compact, in order).
   */
  static final class RawManifest implements ManifestTemplate {
    private final JsonNode node;

    RawManifest(JsonNode node) {
      this.node = node;
    }

    @JsonValue
    JsonNode node() {
      return node;
    }

    @Override
    public int getSchemaVersion() {
      return 2;
    }

    @Override
    public String getManifestMediaType() {
      return node.path("mediaType").asText();
    }
  }

  private BuildableManifestTemplate manifest(
      RegistryClient client, com.google.cloud.tools.jib.api.ImageReference ref, String what) {
    try {
      ManifestAndDigest<ManifestTemplate> m = client.pullManifest(ref.getQualifier());
      ManifestTemplate t = m.getManifest();
      List<String> digests = null;
      String platform = dev.skinnywhale.image.OciImages.hostPlatform();
      String os = platform.substring(0, platform.indexOf('/'));
      String arch = platform.substring(platform.indexOf('/') + 1);
      if (t instanceof V22ManifestListTemplate list) {
        digests = list.getDigestsForPlatform(arch, os);
      } else if (t instanceof OciIndexTemplate index) {
        digests = index.getDigestsForPlatform(arch, os);
      }
      if (digests != null) {
        if (digests.isEmpty()) {
          throw new ImageFormatException(ref + " has no image for " + platform);
        }
        t = client.pullManifest(digests.get(0)).getManifest();
      }
      if (!(t instanceof BuildableManifestTemplate b)) {
        throw new ImageFormatException(
            ref + ": manifest " + t.getManifestMediaType() + " is not a schema 2 image manifest");
      }
      return b;
    } catch (IOException | com.google.cloud.tools.jib.api.RegistryException | RuntimeException e) {
      throw RegistryFailures.failure(what, e);
    }
  }

  private static byte[] config(RegistryClient client, DescriptorDigest digest, String what) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public synchronized void write(byte[] b, int off, int len) {
            if (count + len > ManifestJson.MAX_BYTES) {
              throw new ImageFormatException(
                  "config " + digest + " is larger than " + ManifestJson.MAX_BYTES + " bytes");
            }
            super.write(b, off, len);
          }
        };
    try {
      client.pullBlob(digest, s -> {}, n -> {}).writeTo(out);
    } catch (IOException | RuntimeException e) {
      throw RegistryFailures.failure(what + ": config " + digest, e);
    }
    byte[] bytes = out.toByteArray();
    if (!Digests.of(bytes).equals(digest.toString())) {
      throw new ImageFormatException(
          "blob " + digest + ": digest mismatch: got " + Digests.of(bytes));
    }
    return bytes;
  }

  private RegistryClient client(
      com.google.cloud.tools.jib.api.ImageReference ref, boolean push, String what) {
    Consumer<LogEvent> log = e -> debug.accept("registry: " + e.getMessage());
    boolean insecure = options.isInsecure(ref.getRegistry());
    if (!insecure && isLoopback(ref.getRegistry())) {
      RegistryFailures.refusePlainHttp(ref.getRegistry(), what);
    }
    FailoverHttpClient http =
        new FailoverHttpClient(insecure, insecure && isLoopback(ref.getRegistry()), log);
    Optional<Credential> credential = credential(ref, log);
    RegistryClient client =
        RegistryClient.factory(EventHandlers.NONE, ref.getRegistry(), ref.getRepository(), http)
            .setCredential(credential.orElse(null))
            .setUserAgent("skinnywhale")
            .newRegistryClient();
    try {
      boolean bearer = push ? client.doPushBearerAuth() : client.doPullBearerAuth();
      if (!bearer && credential.isPresent()) {
        client.configureBasicAuth();
      }
    } catch (IOException | com.google.cloud.tools.jib.api.RegistryException | RuntimeException e) {
      throw RegistryFailures.failure(what, e);
    }
    return client;
  }

  private Optional<Credential> credential(
      com.google.cloud.tools.jib.api.ImageReference ref, Consumer<LogEvent> log) {
    Optional<Path> config = options.dockerConfig();
    if (config.isEmpty() || !Files.isRegularFile(config.get())) {
      return Optional.empty();
    }
    try {
      return CredentialRetrieverFactory.forImage(ref, log, options.env())
          .dockerConfig(config.get())
          .retrieve();
    } catch (CredentialRetrievalException e) {
      throw new RegistryException(
          RegistryException.Kind.UNAUTHORIZED,
          "reading the credentials for "
              + ref.getRegistry()
              + " from "
              + config.get()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static boolean isLoopback(String registry) {
    String host =
        registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  private static com.google.cloud.tools.jib.api.ImageReference parse(ImageReference reference) {
    try {
      return com.google.cloud.tools.jib.api.ImageReference.parse(reference.location());
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("not a registry reference: " + reference, e);
    }
  }

  private static DescriptorDigest digest(String digest) {
    try {
      return DescriptorDigest.fromDigest(digest);
    } catch (DigestException e) {
      throw new IllegalArgumentException(digest, e);
    }
  }
}
