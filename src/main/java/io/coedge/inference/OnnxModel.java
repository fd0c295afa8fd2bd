package io.coedge.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjIntConsumer;

/** One ONNX model version: an ONNX Runtime session that several workers may run at once. */
final class OnnxModel implements LoadedModel, AutoCloseable {

  private final String name;
  private final String version;
  private final ModelConfig config;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final boolean batched;
  /** Every output's name, in order: what a batch of requests that listed none asks for (the common case). */
  private final Set<String> allOutputs;
  /** Per input, the key of its buffer in a worker's scratch (built once, not per batch). */
  private final Map<String, String> scratchKeys = new HashMap<>();
  private volatile ObjIntConsumer<ComputeTimes> batches = (times, rows) -> { };

  private OnnxModel(String name, String version, ModelConfig config, OrtEnvironment env, OrtSession session,
      List<TensorSpec> inputs, List<TensorSpec> outputs, boolean batched) {
    this.name = name;
    this.version = version;
    this.config = config;
    this.env = env;
    this.session = session;
    this.inputs = inputs;
    this.outputs = outputs;
    this.batched = batched;
    Set<String> all = new LinkedHashSet<>();
    outputs.forEach(o -> all.add(o.name()));
    this.allOutputs = java.util.Collections.unmodifiableSet(all);
    inputs.forEach(i -> scratchKeys.put(i.name(), name + '/' + version + '/' + i.name()));
  }

  /** Loads the model; blocking, call off the event loop. */
  static OnnxModel load(OrtEnvironment env, String name, String version, byte[] bytes, ModelConfig config,
      int intraOpThreads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(intraOpThreads);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    OrtSession session = env.createSession(bytes, options);
    try {
      List<TensorSpec> ins = specs(session.getInputInfo());
      List<TensorSpec> outs = specs(session.getOutputInfo());
      boolean batchable = config.maxBatchSize() > 0 && !ins.isEmpty()
          && ins.stream().allMatch(s -> s.shape().length > 0 && s.shape()[0] < 0);
      return new OnnxModel(name, version, config, env, session, ins, outs, batchable);
    } catch (OrtException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
    List<TensorSpec> out = new ArrayList<>();
    for (NodeInfo n : infos.values()) {
      if (!(n.getInfo() instanceof TensorInfo t)) {
        throw new IllegalArgumentException("'" + n.getName() + "' is not a tensor (maps and sequences unsupported)");
      }
      DataType type = OnnxTypes.toDataType(t.onnxType);
      if (type == null) {
        throw new IllegalArgumentException("'" + n.getName() + "' has element type " + t.onnxType
            + ", which the inference protocol cannot carry");
      }
      out.add(new TensorSpec(n.getName(), type, t.getShape()));
    }
    return List.copyOf(out);
  }

  /** Told of every batch this model runs: its compute times and rows (the statistics' per-batch figures). */
  void onBatch(ObjIntConsumer<ComputeTimes> observer) {
    this.batches = observer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public boolean batched() {
    return batched;
  }

  @Override
  public List<InferResult> run(List<Job> batch, WorkerScratch scratch, long startNanos) throws OrtException {
    int totalRows = 0;
    for (Job j : batch) {
      totalRows += j.rows;
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (TensorSpec spec : inputs) {
        feed.put(spec.name(), buildInput(spec, batch, totalRows, scratch));
      }
      Set<String> wanted = wantedOutputs(batch);
      long inputDone = System.nanoTime();
      try (OrtSession.Result result = session.run(feed, wanted)) {
        long inferDone = System.nanoTime();
        List<List<Tensor>> perJob = new ArrayList<>();
        batch.forEach(j -> perJob.add(new ArrayList<>()));
        for (String out : wanted) {
          OnnxValue v = result.get(out).orElseThrow();
          split(out, (OnnxTensor) v, batch, totalRows, perJob);
        }
        ComputeTimes times = new ComputeTimes(inputDone - startNanos, inferDone - inputDone,
            System.nanoTime() - inferDone);
        long computeUs = times.totalNs() / 1000;
        List<InferResult> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          Job j = batch.get(i);
          long queueUs = (startNanos - j.enqueuedNanos) / 1000;
          results.add(new InferResult(name, version, perJob.get(i), queueUs, computeUs, times));
        }
        batches.accept(times, totalRows);
        return results;
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  private Set<String> wantedOutputs(List<Job> batch) {
    Set<String> wanted = null;
    for (Job j : batch) {
      if (j.request.outputs().isEmpty()) {
        return allOutputs;
      }
      if (wanted == null) {
        wanted = new LinkedHashSet<>();
      }
      for (RequestedOutput o : j.request.outputs()) {
        wanted.add(o.name());
      }
    }
    return wanted;
  }

  private OnnxTensor buildInput(TensorSpec spec, List<Job> batch, int totalRows, WorkerScratch scratch)
      throws OrtException {
    Tensor first = input(batch.get(0), spec.name());
    long[] shape = spec.modelShape(first.shape());
    if (batch.size() > 1) {
      shape[0] = totalRows;
    }
    if (spec.type() == DataType.BYTES) {
      List<String> all = new ArrayList<>();
      for (Job j : batch) {
        for (byte[] s : input(j, spec.name()).strings()) {
          all.add(OrtStrings.toJava(s));
        }
      }
      return OnnxTensor.createTensor(env, all.toArray(String[]::new), shape);
    }
    OnnxJavaType javaType = OnnxTypes.toJavaType(spec.type());
    if (javaType == null) {
      throw InferenceException.unsupported("input '" + spec.name() + "': ONNX Runtime Java cannot create "
          + spec.type() + " tensors");
    }
    int bytes = 0;
    for (Job j : batch) {
      bytes += input(j, spec.name()).data().limit();
    }
    ByteBuffer buf = scratch.buffer(scratchKeys.get(spec.name()), bytes);
    for (Job j : batch) {
      buf.put(input(j, spec.name()).data().duplicate().position(0));
    }
    buf.flip();
    return OnnxTensor.createTensor(env, buf, shape, javaType);
  }

  private static Tensor input(Job j, String name) {
    for (Tensor t : j.request.inputs()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalStateException("validated request lacks input " + name);
  }

  /** Splits a batched output along dimension 0 back to the jobs, each getting its own rows. */
  private void split(String outName, OnnxTensor t, List<Job> batch, int totalRows, List<List<Tensor>> perJob)
      throws OrtException {
    long[] shape = t.getInfo().getShape();
    DataType type = OnnxTypes.toDataType(t.getInfo().onnxType);
    boolean single = batch.size() == 1;
    if (!single && (shape.length == 0 || shape[0] != totalRows)) {
      throw new IllegalStateException("output '" + outName + "' shape does not follow the batch");
    }
    if (type == DataType.BYTES) {
      List<byte[]> flat = new ArrayList<>();
      OrtStrings.flatten(t.getValue(), flat);
      int per = single ? flat.size() : flat.size() / totalRows;
      int at = 0;
      for (int i = 0; i < batch.size(); i++) {
        Job j = batch.get(i);
        int n = single ? flat.size() : per * j.rows;
        if (wants(j, outName)) {
          perJob.get(i).add(Tensor.bytes(outName, rowShape(shape, j.rows, single),
              flat.subList(at, at + n).toArray(byte[][]::new)));
        }
        at += n;
      }
      return;
    }
    ByteBuffer all = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int rowBytes = single ? all.limit() : all.limit() / totalRows;
    int at = 0;
    for (int i = 0; i < batch.size(); i++) {
      Job j = batch.get(i);
      int n = single ? all.limit() : rowBytes * j.rows;
      if (wants(j, outName)) {
        ByteBuffer slice = all.slice(at, n).order(ByteOrder.LITTLE_ENDIAN);
        perJob.get(i).add(Tensor.fixed(outName, type, rowShape(shape, j.rows, single), slice));
      }
      at += n;
    }
  }

  private static long[] rowShape(long[] shape, int rows, boolean single) {
    long[] s = shape.clone();
    if (!single) {
      s[0] = rows;
    }
    return s;
  }

  private static boolean wants(Job j, String out) {
    return j.request.outputs().isEmpty() || j.request.outputs().stream().anyMatch(o -> o.name().equals(out));
  }

  /** One inference on zeros before the version takes traffic ({@link WarmUp}); throws when the model cannot run. */
  void warmUp() throws OrtException {
    WarmUp.run(env, session, inputs);
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
