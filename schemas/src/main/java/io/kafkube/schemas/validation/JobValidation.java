package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;
import static io.kafkube.schemas.validation.WorkloadValidation.nonNegative;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;

/** Job and CronJob (batch/v1). */
final class JobValidation {
  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");
  private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");
  private static final List<String> POD_REPLACEMENT = List.of("TerminatingOrFailed", "Failed");
  private static final Pattern TZ_CHARS = Pattern.compile("[A-Za-z.\\-_0-9+]{1,14}");
  /** The cronjob controller appends an 11-character suffix to job names (63 - 11). */
  static final int CRONJOB_NAME_MAX = 52;

  private JobValidation() {}

  static void validateJob(GenericRecord spec, List<FieldError> errs) {
    validateJobSpec(spec, SPEC, errs);
    GenericRecord selector = rec(spec, "selector");
    if (selector == null) {
      // generated from the uid when manualSelector is not true (see JobSelector)
      if (Rec.isTrue(spec, "manualSelector")) {
        errs.add(FieldError.required(SPEC.child("selector"), ""));
      }
      return;
    }
    SelectorValidation.validate(selector, SPEC.child("selector"), errs);
    if (SelectorValidation.convertible(selector)) {
      Map<String, String> labels = Rec.stringMap(rec(spec, "template", "metadata"), "labels");
      if (!SelectorValidation.matches(selector, labels == null ? Map.of() : labels)) {
        errs.add(FieldError.invalid(SPEC.child("template", "metadata", "labels"),
            GoValue.literal(GoValue.stringMap(labels)), "`selector` does not match template `labels`"));
      }
    }
  }

  static void validateJobSpec(GenericRecord spec, FieldPath path, List<FieldError> errs) {
    for (String f : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
        "ttlSecondsAfterFinished")) {
      nonNegative(spec, f, path, errs);
    }
    String mode = s(spec, "completionMode");
    if (!mode.isEmpty()) {
      if (!COMPLETION_MODES.contains(mode)) {
        errs.add(FieldError.notSupported(path.child("completionMode"), mode, COMPLETION_MODES));
      }
      if (mode.equals("Indexed") && !Rec.has(spec, "completions")) {
        errs.add(FieldError.required(path.child("completions"), "when completion mode is Indexed"));
      }
    }
    String replacement = s(spec, "podReplacementPolicy");
    if (!replacement.isEmpty() && !POD_REPLACEMENT.contains(replacement)) {
      errs.add(FieldError.notSupported(path.child("podReplacementPolicy"), replacement, POD_REPLACEMENT));
    }
    GenericRecord template = rec(spec, "template");
    FieldPath tPath = path.child("template");
    PodValidation.validateTemplate(template, tPath, errs);
    String restart = s(rec(template, "spec"), "restartPolicy");
    if (restart.isEmpty() || restart.equals("Always")) {
      errs.add(FieldError.required(tPath.child("spec", "restartPolicy"), "valid values: \"OnFailure\", \"Never\""));
    } else if (!restart.equals("OnFailure") && !restart.equals("Never")) {
      errs.add(FieldError.notSupported(tPath.child("spec", "restartPolicy"), restart, List.of("OnFailure", "Never")));
    } else if (Rec.has(spec, "podFailurePolicy") && !restart.equals("Never")) {
      errs.add(FieldError.invalid(tPath.child("spec", "restartPolicy"), restart,
          "only \"Never\" is supported when podFailurePolicy is specified"));
    }
  }

  static void validateJobUpdate(GenericRecord spec, GenericRecord old, List<FieldError> errs) {
    WorkloadValidation.selectorImmutable(spec, old, errs);
    if (!"Indexed".equals(s(spec, "completionMode")) && !Rec.deepEquals(Rec.raw(spec, "completions"), Rec.raw(old, "completions"))) {
      errs.add(FieldError.invalid(SPEC.child("completions"), num(spec, "completions"), Messages.FIELD_IMMUTABLE));
    }
    if (!Rec.deepEquals(Rec.raw(spec, "template"), Rec.raw(old, "template"))) {
      errs.add(FieldError.invalid(SPEC.child("template"), GoValue.literal("core.PodTemplateSpec{...}"), Messages.FIELD_IMMUTABLE));
    }
    if (!Rec.deepEquals(Rec.raw(spec, "completionMode"), Rec.raw(old, "completionMode"))) {
      errs.add(FieldError.invalid(SPEC.child("completionMode"), s(spec, "completionMode"), Messages.FIELD_IMMUTABLE));
    }
    if (!Rec.deepEquals(Rec.raw(spec, "podFailurePolicy"), Rec.raw(old, "podFailurePolicy"))) {
      errs.add(FieldError.invalid(SPEC.child("podFailurePolicy"), GoValue.literal("batch.PodFailurePolicy{...}"), Messages.FIELD_IMMUTABLE));
    }
  }

  static void validateCronJob(String name, GenericRecord spec, GenericRecord oldSpec, List<FieldError> errs) {
    String schedule = s(spec, "schedule");
    if (schedule.isEmpty()) {
      errs.add(FieldError.required(SPEC.child("schedule"), ""));
    } else {
      CronSchedule.parseError(schedule).ifPresent(msg -> errs.add(FieldError.invalid(SPEC.child("schedule"), schedule, msg)));
      boolean allowTz = oldSpec != null && s(oldSpec, "schedule").contains("TZ");
      if (allowTz && schedule.contains("TZ") && Rec.has(spec, "timeZone")) {
        errs.add(FieldError.invalid(SPEC.child("schedule"), schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
      } else if (!allowTz && schedule.contains("TZ")) {
        errs.add(FieldError.invalid(SPEC.child("schedule"), schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
      }
    }
    nonNegative(spec, "startingDeadlineSeconds", SPEC, errs);
    if (oldSpec == null || !s(oldSpec, "timeZone").equals(s(spec, "timeZone"))) {
      validateTimeZone(Rec.str(spec, "timeZone"), SPEC.child("timeZone"), errs);
    }
    String policy = s(spec, "concurrencyPolicy");
    ContainerValidation.enumValue(policy, CONCURRENCY, SPEC.child("concurrencyPolicy"), errs);
    GenericRecord jobTemplate = rec(spec, "jobTemplate");
    FieldPath jPath = SPEC.child("jobTemplate");
    GenericRecord jobSpec = rec(jobTemplate, "spec");
    validateJobSpec(jobSpec, jPath.child("spec"), errs);
    if (Rec.has(jobSpec, "selector")) {
      errs.add(FieldError.invalid(jPath.child("spec", "selector"), SelectorValidation.goValue(rec(jobSpec, "selector")),
          "`selector` will be auto-generated"));
    }
    if (Rec.isTrue(jobSpec, "manualSelector")) {
      errs.add(FieldError.notSupported(jPath.child("spec", "manualSelector"), true, List.of("nil", "false")));
    }
    nonNegative(spec, "successfulJobsHistoryLimit", SPEC, errs);
    nonNegative(spec, "failedJobsHistoryLimit", SPEC, errs);
    if (oldSpec == null && name != null && name.length() > CRONJOB_NAME_MAX) {
      errs.add(FieldError.invalid(FieldPath.of("metadata", "name"), name, "must be no more than 52 characters"));
    }
  }

  private static void validateTimeZone(String tz, FieldPath path, List<FieldError> errs) {
    if (tz == null) {
      return;
    }
    GoValue shown = GoValue.literal(GoValue.quote(tz));
    if (tz.isEmpty()) {
      errs.add(FieldError.invalid(path, shown, "timeZone must be nil or non-empty string"));
      return;
    }
    for (String part : tz.split("/", -1)) {
      if (part.equals(".") || part.equals("..") || part.startsWith("-") || !TZ_CHARS.matcher(part).matches()) {
        errs.add(FieldError.invalid(path, shown, "unknown time zone " + tz));
        return;
      }
    }
    if (tz.equalsIgnoreCase("Local")) {
      errs.add(FieldError.invalid(path, shown, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
    }
    if (!tz.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(tz)) {
      errs.add(FieldError.invalid(path, shown, "unknown time zone " + tz));
    }
  }
}
