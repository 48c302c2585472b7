package io.kafkube.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every resource reads the same in milli-units, whether kept unboxed (cpu, memory, pods) or in the map. */
class ResourcesTest {
  private static final Resources A = Resources.parse(
      Map.of("cpu", "1500m", "memory", "1Gi", "pods", "110", "nvidia.com/gpu", "2", "ephemeral-storage", "1Ki"));
  private static final Resources B = Resources.parse(Map.of("cpu", "500m", "nvidia.com/gpu", "1"));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("parsed", A, "cpu", 1500L),
        Arguments.of("parsed", A, "memory", 1024L * 1024 * 1024 * 1000),
        Arguments.of("parsed", A, "pods", 110_000L),
        Arguments.of("parsed", A, "nvidia.com/gpu", 2000L),
        Arguments.of("parsed", A, "ephemeral-storage", 1024_000L),
        Arguments.of("parsed", A, "hugepages-2Mi", 0L),
        Arguments.of("plus", A.plus(B), "cpu", 2000L),
        Arguments.of("plus", A.plus(B), "nvidia.com/gpu", 3000L),
        Arguments.of("minus", A.minus(B), "cpu", 1000L),
        Arguments.of("minus", A.minus(B), "memory", 1024L * 1024 * 1024 * 1000),
        Arguments.of("max", B.max(A), "cpu", 1500L),
        Arguments.of("orElse", B.orElse(A), "pods", 110_000L),
        Arguments.of("orElse", B.orElse(A), "cpu", 500L),
        Arguments.of("none", Resources.NONE, "cpu", 0L),
        Arguments.of("ofMilli", Resources.ofMilli(Map.of("pods", 3000L)), "pods", 3000L));
  }

  @ParameterizedTest(name = "{0} {2} = {3}")
  @MethodSource("cases")
  void milli(String how, Resources r, String name, long expected) {
    assertThat(r.milli(name)).isEqualTo(expected);
    assertThat(r.milli(name)).isEqualTo(r.asMilliMap().getOrDefault(name, 0L));
    long direct = switch (name) {
      case "cpu" -> r.cpu();
      case "memory" -> r.memory();
      case "pods" -> r.pods();
      default -> {
        long v = 0;
        for (int i = 0; i < r.otherCount(); i++) {
          if (r.otherName(i).equals(name)) {
            v = r.otherMilli(i);
          }
        }
        yield v;
      }
    };
    assertThat(direct).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: the others are every resource but cpu, memory and pods")
  @MethodSource("cases")
  void others(String how, Resources r, String name, long expected) {
    java.util.Set<String> others = new java.util.TreeSet<>(r.names());
    others.removeAll(java.util.Set.of("cpu", "memory", "pods"));
    java.util.List<String> listed = new java.util.ArrayList<>();
    for (int i = 0; i < r.otherCount(); i++) {
      listed.add(r.otherName(i));
    }
    assertThat(listed).containsExactlyElementsOf(others);
  }
}
