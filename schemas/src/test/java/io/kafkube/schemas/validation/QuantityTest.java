package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {
  @ParameterizedTest(name = "{0} -> {1} ({2} milli)")
  @CsvSource({
      "128Mi, 128Mi, 134217728000",
      "1024Mi, 1Gi, 1073741824000",
      "1536Mi, 1536Mi, 1610612736000",
      "1.5Gi, 1536Mi, 1610612736000",
      "1Ki, 1Ki, 1024000",
      "0.5, 500m, 500",
      "500m, 500m, 500",
      "1000m, 1, 1000",
      "1500m, 1500m, 1500",
      "1, 1, 1000",
      "1000, 1k, 1000000",
      "1500, 1500, 1500000",
      "1e3, 1e3, 1000000",
      "1.5e3, 1500, 1500000",
      "1E3, 1e3, 1000000",
      "100M, 100M, 100000000000",
      "2G, 2G, 2000000000000",
      "0, 0, 0",
      "0Mi, 0, 0",
      "-1, -1, -1000",
      "+5, 5, 5000",
      "1n, 1n, 1",
      "0.1Ki, 102400m, 102400",
      "1.G, 1G, 1000000000000",
      ".5, 500m, 500",
      "1u, 1u, 1",
      "10Ei, 10Ei, 11529215046068469760000"})
  void parsesAndPrintsCanonically(String in, String canonical, String milli) {
    Quantity q = Quantity.parse(in);
    assertThat(q.toString()).isEqualTo(canonical);
    assertThat(q.decimalValue().movePointRight(3).setScale(0, java.math.RoundingMode.UP).toString()).isEqualTo(milli);
    assertThat(Quantity.parse(q.toString())).isEqualTo(q);
  }

  @ParameterizedTest
  @ValueSource(strings = {"12x", "1.5.5", "abc", "", " 1", "1 ", "5MiB", "1e"})
  void rejectsMalformed(String in) {
    assertThatThrownBy(() -> Quantity.parse(in)).isInstanceOf(NumberFormatException.class)
        .hasMessageMatching("quantities must match.*|unable to parse quantity's suffix");
  }

  @Test
  void errorTextsAreKubernetes() {
    assertThat(Quantity.parseError("12x")).contains(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    assertThat(Quantity.parseError("--1")).contains("unable to parse quantity's suffix");
    assertThat(Quantity.parseError("1Gi")).isEmpty();
  }

  @Test
  void roundsUpToNano() {
    assertThat(Quantity.parse("0.0000000001").toString()).isEqualTo("1n");
    assertThat(Quantity.parse("1.0000000001").milliValue()).isEqualTo(1001);
  }

  @Test
  void comparesNumerically() {
    assertThat(Quantity.parse("1Ki")).isEqualTo(Quantity.parse("1024")).hasSameHashCodeAs(Quantity.parse("1024"));
    assertThat(Quantity.parse("1")).isGreaterThan(Quantity.parse("999m"));
    assertThat(Quantity.parse("1Gi")).isGreaterThan(Quantity.parse("1G"));
    assertThat(Quantity.parse("250m").milliValue()).isEqualTo(250);
    assertThat(Quantity.parse("1.1").value()).isEqualTo(2);
    assertThat(Quantity.parse("128Mi").value()).isEqualTo(134217728L);
    assertThat(Quantity.ofMilli(1500).add(Quantity.parse("500m")).toString()).isEqualTo("2");
    assertThat(Quantity.parse("1Gi").subtract(Quantity.parse("512Mi")).toString()).isEqualTo("512Mi");
  }
}
