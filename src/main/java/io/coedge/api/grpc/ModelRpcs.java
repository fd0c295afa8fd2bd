package io.coedge.api.grpc;

import io.coedge.api.RepositoryRoutes;
import io.coedge.api.grpc.v2.DataType;
import io.coedge.api.grpc.v2.InferBatchStatistics;
import io.coedge.api.grpc.v2.InferStatistics;
import io.coedge.api.grpc.v2.ModelConfig;
import io.coedge.api.grpc.v2.ModelConfigResponse;
import io.coedge.api.grpc.v2.ModelDynamicBatching;
import io.coedge.api.grpc.v2.ModelInput;
import io.coedge.api.grpc.v2.ModelMetadataResponse;
import io.coedge.api.grpc.v2.ModelOutput;
import io.coedge.api.grpc.v2.ModelParameter;
import io.coedge.api.grpc.v2.ModelReadyResponse;
import io.coedge.api.grpc.v2.ModelStatistics;
import io.coedge.api.grpc.v2.ModelStatisticsResponse;
import io.coedge.api.grpc.v2.RepositoryIndexResponse;
import io.coedge.api.grpc.v2.StatisticDuration;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelVersion;
import io.coedge.inference.TensorSpec;
import java.util.List;
import java.util.Map;

/**
 * The metadata RPCs over the engine: what REST answers on {@code /v2/models/...}, {@code .../config},
 * {@code .../stats} and {@code /v2/repository/index}, as protobuf messages.
 */
final class ModelRpcs {

  private final InferenceEngine engine;

  ModelRpcs(InferenceEngine engine) {
    this.engine = engine;
  }

  static String orNull(String s) {
    return s.isEmpty() ? null : s;
  }

  ModelReadyResponse ready(String name, String version) {
    List<ModelVersion> known = engine.models().stream()
        .filter(v -> v.name().equals(name) && (version == null || v.version().equals(version))).toList();
    if (known.isEmpty()) {
      throw InferenceException.notFound(version == null ? "unknown model '" + name + "'"
          : "model '" + name + "' has no version '" + version + "'");
    }
    return ModelReadyResponse.newBuilder().setReady(known.stream().anyMatch(ModelVersion::ready)).build();
  }

  ModelMetadataResponse metadata(String name, String version) {
    ModelVersion m = engine.resolve(name, version);
    ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name())
        .setPlatform("onnxruntime_onnx");
    engine.models().stream().filter(v -> v.name().equals(m.name()) && v.ready())
        .forEach(v -> b.addVersions(v.version()));
    for (TensorSpec s : m.inputs()) {
      b.addInputs(tensor(s));
    }
    for (TensorSpec s : m.outputs()) {
      b.addOutputs(tensor(s));
    }
    return b.build();
  }

  private static ModelMetadataResponse.TensorMetadata tensor(TensorSpec s) {
    ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder()
        .setName(s.name()).setDatatype(s.type().name());
    for (long d : s.shape()) {
      t.addShape(d);
    }
    return t.build();
  }

  /** Triton's model_config fields; as REST's {@code .../config}, dims leave out the batch dimension when batched. */
  ModelConfigResponse config(String name, String version) {
    ModelVersion m = engine.resolve(name, version);
    io.coedge.inference.ModelConfig c = m.config();
    boolean batched = c.maxBatchSize() > 0 && m.inputs().stream().allMatch(t -> t.shape().length > 0
        && t.shape()[0] == -1);
    int skip = batched ? 1 : 0;
    ModelConfig.Builder b = ModelConfig.newBuilder().setName(m.name()).setPlatform("onnxruntime_onnx")
        .setBackend("onnxruntime").setMaxBatchSize(c.maxBatchSize())
        .setDynamicBatching(ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(c.maxQueueDelayUs()))
        .putAllParameters(Map.of("policy", param(c.policy()), "cascade_target", param(c.cascadeTarget()),
            "cascade_threshold", param(Double.toString(c.cascadeThreshold())),
            "labels", param(String.join(",", c.labels()))));
    for (TensorSpec s : m.inputs()) {
      ModelInput.Builder in = ModelInput.newBuilder().setName(s.name()).setDataType(type(s));
      for (int i = Math.min(skip, s.shape().length); i < s.shape().length; i++) {
        in.addDims(s.shape()[i]);
      }
      b.addInput(in);
    }
    for (TensorSpec s : m.outputs()) {
      ModelOutput.Builder out = ModelOutput.newBuilder().setName(s.name()).setDataType(type(s));
      for (int i = Math.min(skip, s.shape().length); i < s.shape().length; i++) {
        out.addDims(s.shape()[i]);
      }
      b.addOutput(out);
    }
    return ModelConfigResponse.newBuilder().setConfig(b).build();
  }

  private static ModelParameter param(String v) {
    return ModelParameter.newBuilder().setStringValue(v == null ? "" : v).build();
  }

  private static DataType type(TensorSpec s) {
    return DataType.valueOf("TYPE_" + (s.type().name().equals("BYTES") ? "STRING" : s.type().name()));
  }

  ModelStatisticsResponse statistics(String name, String version) {
    if (name != null) {
      engine.resolve(name, version); // NOT_FOUND naming the unknown model or version
    }
    ModelStatisticsResponse.Builder b = ModelStatisticsResponse.newBuilder();
    for (io.coedge.inference.ModelStatistics.Snapshot s : engine.statistics(name, version)) {
      ModelStatistics.Builder m = ModelStatistics.newBuilder().setName(s.model()).setVersion(s.version())
          .setLastInference(s.lastInferenceMs()).setInferenceCount(s.inferenceCount())
          .setExecutionCount(s.executionCount()).setInferenceStats(InferStatistics.newBuilder()
              .setSuccess(duration(s.success())).setFail(duration(s.fail())).setQueue(duration(s.queue()))
              .setComputeInput(duration(s.compute().input())).setComputeInfer(duration(s.compute().infer()))
              .setComputeOutput(duration(s.compute().output())));
      s.batches().forEach((rows, c) -> m.addBatchStats(InferBatchStatistics.newBuilder().setBatchSize(rows)
          .setComputeInput(duration(c.input())).setComputeInfer(duration(c.infer()))
          .setComputeOutput(duration(c.output()))));
      b.addModelStats(m);
    }
    return b.build();
  }

  private static StatisticDuration duration(io.coedge.inference.ModelStatistics.Duration d) {
    return StatisticDuration.newBuilder().setCount(d.count()).setNs(d.ns()).build();
  }

  /** As REST's {@code /v2/repository/index}. */
  RepositoryIndexResponse index(boolean readyOnly) {
    RepositoryIndexResponse.Builder b = RepositoryIndexResponse.newBuilder();
    for (ModelVersion v : engine.control().index()) {
      if (readyOnly && !v.ready()) {
        continue;
      }
      String reason = v.state() == ModelVersion.State.UNLOADED ? "unloaded" : v.error();
      b.addModels(RepositoryIndexResponse.ModelIndex.newBuilder().setName(v.name()).setVersion(v.version())
          .setState(RepositoryRoutes.state(v)).setReason(reason == null ? "" : reason));
    }
    return b.build();
  }
}
