package dev.skinnywhale.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.core.SSLConfig;
import java.net.URI;

/**
 * A docker-java config that hands out one ObjectMapper: the default config copies its mapper at
 * every {@code getObjectMapper()}, so a warm-up through one copy would build Jackson's bean
 * serializers the client's own copy then builds again (both at once, on the way to the first
 * container). Everything else is {@code config}'s.
 */
final class SharedMapperConfig implements DockerClientConfig {
  private final DockerClientConfig config;
  private final ObjectMapper mapper;

  SharedMapperConfig(DockerClientConfig config) {
    this.config = config;
    this.mapper = config.getObjectMapper();
  }

  @Override
  public ObjectMapper getObjectMapper() {
    return mapper;
  }

  @Override
  public URI getDockerHost() {
    return config.getDockerHost();
  }

  @Override
  public RemoteApiVersion getApiVersion() {
    return config.getApiVersion();
  }

  @Override
  public String getRegistryUsername() {
    return config.getRegistryUsername();
  }

  @Override
  public String getRegistryPassword() {
    return config.getRegistryPassword();
  }

  @Override
  public String getRegistryEmail() {
    return config.getRegistryEmail();
  }

  @Override
  public String getRegistryUrl() {
    return config.getRegistryUrl();
  }

  @Override
  public AuthConfig effectiveAuthConfig(String imageName) {
    return config.effectiveAuthConfig(imageName);
  }

  @Override
  public AuthConfigurations getAuthConfigurations() {
    return config.getAuthConfigurations();
  }

  @Override
  public SSLConfig getSSLConfig() {
    return config.getSSLConfig();
  }
}
