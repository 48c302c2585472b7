package io.kafkube.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeUnitsTest {
  @Test
  void podAddressesComeFromTheRangeSkippingNetworkGatewayAndUsed() {
    PodIpAllocator a = new PodIpAllocator("127.2.0.0/16");
    assertThat(a.allocate(Set.of())).isEqualTo("127.2.0.2");
    assertThat(a.allocate(Set.of("127.2.0.2", "127.2.0.3"))).isEqualTo("127.2.0.4");
    assertThat(a.contains("127.2.255.1")).isTrue();
    assertThat(a.contains("127.3.0.1")).isFalse();
    PodIpAllocator tiny = new PodIpAllocator("127.9.0.0/30");
    assertThat(tiny.allocate(Set.of())).isEqualTo("127.9.0.2");
    assertThatThrownBy(() -> tiny.allocate(Set.of("127.9.0.2"))).hasMessageContaining("exhausted");
  }

  @Test
  void imagesResolveByRepositoryIgnoringRegistryAndDigest() throws Exception {
    String path = System.getenv("PATH");
    assertThat(ImageCatalog.repository("docker.io/library/python:3.12-slim@sha256:abc")).isEqualTo("python");
    assertThat(ImageCatalog.tag("registry.k8s.io/pause:3.9")).isEqualTo("3.9");
    assertThat(ImageCatalog.resolve("busybox:1.36", path).cmd()).containsExactly("sh");
    assertThat(ImageCatalog.resolve("python:3", path).cmd()).containsExactly("python3");
    assertThatThrownBy(() -> ImageCatalog.resolve("nginx:1.27", path)).isInstanceOf(ImageException.class)
        .hasMessageStartingWith("Failed to pull image \"nginx:1.27\"");
    assertThatThrownBy(() -> ImageCatalog.resolve("python:2.7", path)).isInstanceOf(ImageException.class);
    assertThatThrownBy(() -> ImageCatalog.resolve("python:3", "/nonexistent")).isInstanceOf(ImageException.class)
        .hasMessageContaining("python3");
  }
}
