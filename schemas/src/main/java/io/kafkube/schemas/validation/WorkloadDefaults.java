package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.child;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;
import static io.kafkube.schemas.validation.Rec.setIfAbsent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/** Defaults of apps/v1 and batch/v1 kinds and of their pod templates. */
final class WorkloadDefaults {
  private WorkloadDefaults() {}

  private static void template(GenericRecord spec, boolean defaultRestartPolicy) {
    GenericRecord podSpec = rec(spec, "template", "spec");
    if (podSpec != null) {
      PodDefaults.applySpec(podSpec, defaultRestartPolicy);
    }
  }

  static void deployment(GenericRecord spec) {
    setIfAbsent(spec, "replicas", 1);
    GenericRecord strategy = child(spec, "strategy");
    setIfAbsent(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(s(strategy, "type"))) {
      GenericRecord rolling = child(strategy, "rollingUpdate");
      setIfAbsent(rolling, "maxUnavailable", "25%");
      setIfAbsent(rolling, "maxSurge", "25%");
    }
    setIfAbsent(spec, "revisionHistoryLimit", 10);
    setIfAbsent(spec, "progressDeadlineSeconds", 600);
    template(spec, true);
  }

  static void replicaSet(GenericRecord spec) {
    setIfAbsent(spec, "replicas", 1);
    template(spec, true);
  }

  static void statefulSet(GenericRecord spec) {
    setIfAbsent(spec, "podManagementPolicy", "OrderedReady");
    GenericRecord strategy = child(spec, "updateStrategy");
    if (setIfAbsent(strategy, "type", "RollingUpdate")) {
      child(strategy, "rollingUpdate");
    }
    if ("RollingUpdate".equals(s(strategy, "type"))) {
      setIfAbsent(rec(strategy, "rollingUpdate"), "partition", 0);
    }
    GenericRecord retention = child(spec, "persistentVolumeClaimRetentionPolicy");
    setIfAbsent(retention, "whenDeleted", "Retain");
    setIfAbsent(retention, "whenScaled", "Retain");
    setIfAbsent(spec, "replicas", 1);
    setIfAbsent(spec, "revisionHistoryLimit", 10);
    for (GenericRecord claim : Rec.records(spec, "volumeClaimTemplates")) {
      OtherDefaults.claim(claim);
    }
    template(spec, true);
  }

  static void daemonSet(GenericRecord spec) {
    GenericRecord strategy = child(spec, "updateStrategy");
    setIfAbsent(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(s(strategy, "type"))) {
      GenericRecord rolling = child(strategy, "rollingUpdate");
      setIfAbsent(rolling, "maxUnavailable", 1);
      setIfAbsent(rolling, "maxSurge", 0);
    }
    setIfAbsent(spec, "revisionHistoryLimit", 10);
    template(spec, true);
  }

  /** {@code SetDefaults_Job}; the template's restartPolicy is left to the user (validation requires it). */
  static void job(GenericRecord job) {
    GenericRecord spec = child(job, "spec");
    if (spec == null) {
      return;
    }
    if (!Rec.has(spec, "completions") && !Rec.has(spec, "parallelism")) {
      Rec.set(spec, "completions", 1);
      Rec.set(spec, "parallelism", 1);
    }
    setIfAbsent(spec, "parallelism", 1);
    setIfAbsent(spec, "backoffLimit", Rec.has(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    Map<String, String> templateLabels = Rec.stringMap(rec(spec, "template", "metadata"), "labels");
    GenericRecord meta = child(job, "metadata");
    Map<String, String> labels = Rec.stringMap(meta, "labels");
    if (templateLabels != null && (labels == null || labels.isEmpty())) {
      meta.put("labels", new LinkedHashMap<>(templateLabels));
    }
    setIfAbsent(spec, "completionMode", "NonIndexed");
    setIfAbsent(spec, "suspend", false);
    setIfAbsent(spec, "podReplacementPolicy", Rec.has(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    template(spec, false);
  }

  static void cronJob(GenericRecord spec) {
    setIfAbsent(spec, "concurrencyPolicy", "Allow");
    setIfAbsent(spec, "suspend", false);
    setIfAbsent(spec, "successfulJobsHistoryLimit", 3);
    setIfAbsent(spec, "failedJobsHistoryLimit", 1);
    GenericRecord jobSpec = rec(spec, "jobTemplate", "spec");
    if (jobSpec != null) {
      template(jobSpec, false);
    }
  }
}
