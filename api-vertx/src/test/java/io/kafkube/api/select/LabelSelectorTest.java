package io.kafkube.api.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkube.api.ApiException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "env", "prod");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "app=web|true", "app==web|true", "app!=web|false", "app!=db|true", "missing!=x|true",
      "app in (web,db)|true", "app notin (web,db)|false", "app notin (db)|true", "app|true", "!app|false",
      "!missing|true", "missing|false", "app=web,tier=front|true", "app=web,tier=back|false",
      "app in (db, web),!missing,env|true", "''|true"})
  void operators(String selector, boolean expected) {
    assertThat(LabelSelector.parse(selector.equals("''") ? "" : selector).matches(LABELS)).isEqualTo(expected);
  }

  @Test
  void invalidSelectorsAreBadRequests() {
    assertThatThrownBy(() -> LabelSelector.parse("app in web")).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(400));
    assertThatThrownBy(() -> LabelSelector.parse("-bad=x")).isInstanceOf(ApiException.class);
  }
}
