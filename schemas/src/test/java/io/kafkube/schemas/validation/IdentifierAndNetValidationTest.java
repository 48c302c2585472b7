package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierAndNetValidationTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 80, 65535})
  void validPorts(long p) {
    assertThat(NetValidation.isValidPortNum(p)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, 65536})
  void invalidPorts(long p) {
    assertThat(NetValidation.isValidPortNum(p)).containsExactly("must be between 1 and 65535, inclusive");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http|",
      "web-8080|",
      "a|",
      "abcdefghijklmnop|must contain between 1 and 15 characters",
      "web_1|must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
      "8080|must contain at least one letter (a-z)",
      "a--b|must not contain consecutive hyphens",
      "-ab|must not begin or end with a hyphen"})
  void ianaPortNames(String name, String expected) {
    List<String> msgs = NetValidation.isValidPortName(name);
    if (expected == null) {
      assertThat(msgs).isEmpty();
    } else {
      assertThat(msgs).containsExactly(expected);
    }
  }

  @Test
  void envVarNamesFollowTheRelaxed132Rule() {
    assertThat(IdentifierValidation.isRelaxedEnvVarName("MY_VAR")).isEmpty();
    assertThat(IdentifierValidation.isRelaxedEnvVarName("1-my.var with space")).isEmpty();
    assertThat(IdentifierValidation.isRelaxedEnvVarName("A=B")).containsExactly(
        "a valid environment variable name must consist only of printable ASCII characters other than '='");
    assertThat(IdentifierValidation.isRelaxedEnvVarName("tab\there")).hasSize(1);
    assertThat(IdentifierValidation.isRelaxedEnvVarName("é")).hasSize(1);
    assertThat(IdentifierValidation.isEnvVarName("1abc")).containsExactly("a valid environment variable name must "
        + "consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. "
        + "'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')");
  }

  @Test
  void cIdentifiers() {
    assertThat(IdentifierValidation.isCIdentifier("_my_Name1")).isEmpty();
    assertThat(IdentifierValidation.isCIdentifier("my-name")).containsExactly("a valid C identifier must start with "
        + "alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or "
        + "'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')");
  }

  @Test
  void configMapKeys() {
    assertThat(IdentifierValidation.isConfigMapKey("app.properties")).isEmpty();
    assertThat(IdentifierValidation.isConfigMapKey("..data")).containsExactly("must not start with '..'");
    assertThat(IdentifierValidation.isConfigMapKey("a/b")).containsExactly("a valid config key must consist of "
        + "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
        + "validation is '[-._a-zA-Z0-9]+')");
    assertThat(IdentifierValidation.isConfigMapKey("a".repeat(254))).containsExactly("must be no more than 253 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "010.000.000.001", "::1", "2001:db8::ffff", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8"})
  void validIps(String ip) {
    assertThat(NetValidation.isIP(ip)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"None", "10.0.0", "256.1.1.1", "1:2:3:4:5:6:7:8:9", "1::2::3", "fe80::1%eth0", ""})
  void invalidIps(String ip) {
    assertThat(TestObjects.messages(NetValidation.isValidIP(FieldPath.of("spec", "clusterIPs").index(0), ip)))
        .containsExactly("spec.clusterIPs[0]: Invalid value: " + GoValue.quote(ip)
            + ": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
  }

  @Test
  void percents() {
    assertThat(NetValidation.isValidPercent("25%")).isEmpty();
    assertThat(NetValidation.isValidPercent("25")).containsExactly("a valid percent string must be a numeric string "
        + "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
  }

  @Test
  void goQuoting() {
    assertThat(GoValue.quote("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
    assertThat(GoValue.quote("\u0001")).isEqualTo("\"\\x01\"");
    assertThat(GoValue.quote("héllo")).isEqualTo("\"héllo\"");
  }
}
