package dev.skinnywhale.image.registry;

import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import dev.skinnywhale.image.ImageFormatException;
import java.io.IOException;

/** What went wrong talking to a registry, in words and as a {@link RegistryException.Kind}. */
final class RegistryFailures {
  private RegistryFailures() {}

  /**
   * jib retries a failed TLS handshake ten times with back-off (a minute): a registry on this
   * machine that speaks plain HTTP is told at once instead.
   */
  static void refusePlainHttp(String registry, String what) {
    int colon = registry.lastIndexOf(':');
    String host = colon > 0 ? registry.substring(0, colon) : registry;
    int port = colon > 0 ? Integer.parseInt(registry.substring(colon + 1)) : 443;
    try (java.net.Socket raw = new java.net.Socket()) {
      raw.connect(new java.net.InetSocketAddress(host, port), 3000);
      raw.setSoTimeout(3000);
      try (javax.net.ssl.SSLSocket tls =
          (javax.net.ssl.SSLSocket)
              ((javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault())
                  .createSocket(raw, host, port, false)) {
        tls.startHandshake();
      }
    } catch (javax.net.ssl.SSLException e) {
      if (String.valueOf(e.getMessage()).contains("plaintext")
          || String.valueOf(e.getMessage()).contains("Unsupported or unrecognized SSL message")) {
        throw new RegistryException(
            RegistryException.Kind.UNREACHABLE,
            what
                + ": "
                + registry
                + " speaks plain HTTP; allow it with --insecure-registry "
                + registry,
            e);
      }
    } catch (IOException | NumberFormatException e) {
      // unreachable or odd: jib says what it finds
    }
  }

  /** A registry error with what was being done, classified for the exit code. */
  static RuntimeException failure(String what, Throwable e) {
    if (e instanceof ImageFormatException || e instanceof RegistryException) {
      return (RuntimeException) e;
    }
    String msg = rootMessage(e);
    RegistryException.Kind kind = RegistryException.Kind.REFUSED;
    if (e instanceof RegistryUnauthorizedException
        || msg.contains("401")
        || msg.contains("403")
        || msg.contains("UNAUTHORIZED")
        || msg.contains("DENIED")) {
      kind = RegistryException.Kind.UNAUTHORIZED;
    } else if (msg.contains("MANIFEST_UNKNOWN")
        || msg.contains("NAME_UNKNOWN")
        || msg.contains("404")) {
      kind = RegistryException.Kind.NOT_FOUND;
    } else if (hasCause(e, java.net.ConnectException.class)
        || hasCause(e, java.net.UnknownHostException.class)
        || hasCause(e, javax.net.ssl.SSLException.class)
        || e.getClass().getSimpleName().equals("InsecureRegistryException")) {
      kind = RegistryException.Kind.UNREACHABLE;
      if (!msg.contains("--insecure-registry")) {
        msg = msg + " (a registry on plain HTTP needs --insecure-registry HOST:PORT)";
      }
    }
    return new RegistryException(kind, what + ": " + msg, e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 400; t = t.getCause()) {
      if (t.getMessage() != null && !b.toString().contains(t.getMessage())) {
        if (b.length() > 0) {
          b.append(": ");
        }
        b.append(t.getMessage());
      }
    }
    return b.length() == 0 ? e.getClass().getSimpleName() : b.toString();
  }
}
