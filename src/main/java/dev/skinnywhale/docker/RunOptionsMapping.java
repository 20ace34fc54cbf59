package dev.skinnywhale.docker;

import com.github.dockerjava.api.model.BindOptions;
import com.github.dockerjava.api.model.BindPropagation;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.VolumeOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RunOptions} as docker-java's {@link HostConfig}. Every mount goes through the Mounts API
 * (never Binds), so that a missing bind source is an error, not a directory the engine makes on its
 * host.
 */
final class RunOptionsMapping {
  private RunOptionsMapping() {}

  static HostConfig hostConfig(RunOptions run) {
    HostConfig host = HostConfig.newHostConfig();
    if (run.isEmpty()) {
      return host;
    }
    if (!run.addHosts().isEmpty()) {
      host.withExtraHosts(run.addHosts().toArray(String[]::new));
    }
    if (!run.tmpfs().isEmpty()) {
      Map<String, String> tmpfs = new LinkedHashMap<>();
      run.tmpfs().forEach(t -> tmpfs.put(t.path(), t.options()));
      host.withTmpFs(tmpfs);
    }
    if (!run.mounts().isEmpty()) {
      List<Mount> mounts = new ArrayList<>();
      run.mounts().forEach(m -> mounts.add(mount(m)));
      host.withMounts(mounts);
    }
    run.shmSize().ifPresent(host::withShmSize);
    if (!run.ulimits().isEmpty()) {
      List<Ulimit> ulimits = new ArrayList<>();
      run.ulimits().forEach(u -> ulimits.add(new Ulimit(u.name(), u.soft(), u.hard())));
      host.withUlimits(ulimits);
    }
    if (!run.dns().isEmpty()) {
      host.withDns(run.dns());
    }
    return host;
  }

  private static Mount mount(RunOptions.Mount m) {
    Mount mount = new Mount().withTarget(m.target());
    switch (m.type()) {
      case BIND -> {
        mount
            .withType(MountType.BIND)
            .withSource(m.source().orElseThrow())
            .withReadOnly(m.readOnly());
        m.propagation()
            .ifPresent(
                p -> mount.withBindOptions(new BindOptions().withPropagation(propagation(p))));
      }
      case VOLUME -> {
        mount.withType(MountType.VOLUME).withReadOnly(m.readOnly());
        m.source().ifPresent(mount::withSource);
        if (m.noCopy()) {
          mount.withVolumeOptions(new VolumeOptions().withNoCopy(true));
        }
      }
      case TMPFS -> {
        mount.withType(MountType.TMPFS);
        TmpfsOptions options = new TmpfsOptions();
        m.tmpfsSize().ifPresent(options::withSizeBytes);
        m.tmpfsMode().ifPresent(options::withMode);
        mount.withTmpfsOptions(options);
      }
    }
    return mount;
  }

  private static BindPropagation propagation(String p) {
    return switch (p) {
      case "private" -> BindPropagation.PRIVATE;
      case "slave" -> BindPropagation.SLAVE;
      case "rslave" -> BindPropagation.R_SLAVE;
      default -> BindPropagation.R_PRIVATE;
    };
  }
}
