package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {
  @ParameterizedTest
  @ValueSource(strings = {"*/5 * * * *", "0 0 * * *", "0 9-17 * * MON-FRI", "15,45 */2 1 jan,jul ?", "@hourly",
      "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@every 1h30m", "0 0 1-31/2 * 0-6",
      "CRON_TZ=Europe/Paris 0 0 * * *"})
  void accepts(String spec) {
    assertThat(CronSchedule.parseError(spec)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "foo|expected exactly 5 fields, found 1: [foo]",
      "* * * *|expected exactly 5 fields, found 4: [* * * *]",
      "60 * * * *|end of range (60) above maximum (59): 60",
      "* 24 * * *|end of range (24) above maximum (23): 24",
      "* * 0 * *|beginning of range (0) below minimum (1): 0",
      "* * * 13 *|end of range (13) above maximum (12): 13",
      "* * * * 7|end of range (7) above maximum (6): 7",
      "5-1 * * * *|beginning of range (5) beyond end of range (1): 5-1",
      "*/0 * * * *|step of range should be a positive number: */0",
      "1-2-3 * * * *|too many hyphens: 1-2-3",
      "*/2/3 * * * *|too many slashes: */2/3",
      "x * * * *|failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
      "@often|unrecognized descriptor: @often",
      "@every 5|failed to parse duration @every 5: time: missing unit in duration \"5\"",
      "@every 5x|failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\""})
  void rejectsWithRobfigMessages(String spec, String message) {
    assertThat(CronSchedule.parseError(spec)).contains(message);
  }

  @Test
  void emptySpec() {
    assertThat(CronSchedule.parseError("")).contains("empty spec string");
  }

  @Test
  void nextFireTimes() {
    ZonedDateTime t = ZonedDateTime.parse("2024-05-01T10:07:30Z");
    assertThat(CronSchedule.parse("*/5 * * * *").next(t)).contains(ZonedDateTime.parse("2024-05-01T10:10:00Z"));
    assertThat(CronSchedule.parse("0 0 * * *").next(t)).contains(ZonedDateTime.parse("2024-05-02T00:00:00Z"));
    assertThat(CronSchedule.parse("@monthly").next(t)).contains(ZonedDateTime.parse("2024-06-01T00:00:00Z"));
    // 2024-05-04 is a Saturday; dom and dow both restricted: either matches
    assertThat(CronSchedule.parse("0 12 15 * sat").next(t)).contains(ZonedDateTime.parse("2024-05-04T12:00:00Z"));
    assertThat(CronSchedule.parse("0 0 * * 1").next(t)).contains(ZonedDateTime.parse("2024-05-06T00:00:00Z"));
    assertThat(CronSchedule.parse("@every 90s").next(t)).contains(ZonedDateTime.parse("2024-05-01T10:09:00Z"));
    assertThat(CronSchedule.parse("0 0 30 2 *").next(t)).isEmpty();
  }
}
