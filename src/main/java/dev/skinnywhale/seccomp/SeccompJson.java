package dev.skinnywhale.seccomp;

import java.util.Collection;
import java.util.List;

/**
 * A {@link SeccompPolicy} as the JSON seccomp profile Docker ({@code --security-opt seccomp=FILE})
 * and the OCI runtimes read: {@code defaultAction} {@code SCMP_ACT_ERRNO} with EPERM, the
 * architectures, one rule allowing the syscalls by name, one refusing the ENOSYS set with errno 38.
 * Written canonically (fixed field order, names sorted, two-space indent, one name per line, a
 * trailing newline; no time stamps), so a re-trace diffs cleanly. Syscall names are {@code
 * [a-z0-9_]}: nothing needs escaping.
 */
public final class SeccompJson {
  /** EPERM, the errno of every syscall the profile does not name. */
  public static final int DEFAULT_ERRNO = 1;

  /** ENOSYS. */
  public static final int ENOSYS = 38;

  private SeccompJson() {}

  /** The profile's JSON text. */
  public static String write(SeccompPolicy policy) {
    return write(policy, List.of(), 0);
  }

  /**
   * The profile with one more rule per name of {@code marked}, each refusing with its own errno,
   * {@code firstErrno} + its index: a runtime that fails on one of them says which in its error
   * ("errno 1062"). For finding what the container runtime itself needs under the profile.
   */
  public static String withMarkers(SeccompPolicy policy, List<String> marked, int firstErrno) {
    if (firstErrno < 256 || firstErrno + marked.size() > 4095) {
      throw new IllegalArgumentException("marker errnos out of range: " + firstErrno);
    }
    return write(policy, marked, firstErrno);
  }

  private static String write(SeccompPolicy policy, List<String> marked, int firstErrno) {
    StringBuilder out = new StringBuilder();
    out.append("{\n");
    out.append("  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n");
    out.append("  \"defaultErrnoRet\": ").append(DEFAULT_ERRNO).append(",\n");
    out.append("  \"architectures\": [\n");
    for (int i = 0; i < policy.abis().size(); i++) {
      out.append("    \"").append(policy.abis().get(i).scmpArch()).append('"');
      out.append(i + 1 < policy.abis().size() ? ",\n" : "\n");
    }
    out.append("  ],\n");
    out.append("  \"syscalls\": [\n");
    boolean first = true;
    if (!policy.allowed().isEmpty()) {
      rule(out, policy.allowed(), "SCMP_ACT_ALLOW", -1);
      first = false;
    }
    if (!policy.enosys().isEmpty()) {
      out.append(first ? "" : ",\n");
      rule(out, policy.enosys(), "SCMP_ACT_ERRNO", ENOSYS);
      first = false;
    }
    for (int i = 0; i < marked.size(); i++) {
      out.append(first ? "" : ",\n");
      rule(out, List.of(marked.get(i)), "SCMP_ACT_ERRNO", firstErrno + i);
      first = false;
    }
    out.append(first ? "" : "\n").append("  ]\n");
    return out.append("}\n").toString();
  }

  private static void rule(StringBuilder out, Collection<String> names, String action, int errno) {
    out.append("    {\n      \"names\": [\n");
    int i = 0;
    for (String n : names) {
      out.append("        \"").append(n).append('"').append(++i < names.size() ? ",\n" : "\n");
    }
    out.append("      ],\n      \"action\": \"").append(action).append('"');
    if (errno >= 0) {
      out.append(",\n      \"errnoRet\": ").append(errno);
    }
    out.append("\n    }");
  }
}
