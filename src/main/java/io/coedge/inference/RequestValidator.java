package io.coedge.inference;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks a decoded request against a model's inputs and outputs; pure, throws 400s naming what is wrong. */
final class RequestValidator {

  private RequestValidator() {
  }

  /** Returns the request's batch size in rows (1 for models without batching). */
  static int validate(InferRequest req, ModelVersion m, boolean batched) {
    Set<String> seen = new HashSet<>();
    for (Tensor t : req.inputs()) {
      TensorSpec spec = find(m.inputs(), t.name());
      if (spec == null) {
        throw InferenceException.invalid("unknown input '" + t.name() + "' for model '" + m.name()
            + "'; its inputs are: " + names(m.inputs()));
      }
      seen.add(t.name());
      if (spec.type() != t.type()) {
        throw InferenceException.invalid("input '" + t.name() + "': datatype " + t.type()
            + " does not match the model's " + spec.type());
      }
      if (!spec.accepts(t.shape())) {
        throw InferenceException.invalid("input '" + t.name() + "': shape " + Arrays.toString(t.shape())
            + " does not match the model's " + Arrays.toString(spec.shape()) + " (-1 = any size)");
      }
    }
    for (TensorSpec spec : m.inputs()) {
      if (!seen.contains(spec.name())) {
        throw InferenceException.invalid("missing input '" + spec.name() + "' for model '" + m.name() + "'");
      }
    }
    for (RequestedOutput o : req.outputs()) {
      if (find(m.outputs(), o.name()) == null) {
        throw InferenceException.invalid("unknown output '" + o.name() + "' for model '" + m.name()
            + "'; its outputs are: " + names(m.outputs()));
      }
    }
    if (!batched) {
      return 1;
    }
    long rows = req.inputs().get(0).shape()[0];
    for (Tensor t : req.inputs()) {
      if (t.shape()[0] != rows) {
        throw InferenceException.invalid("inputs disagree on the batch size (dimension 0): input '"
            + t.name() + "' has " + t.shape()[0] + ", input '" + req.inputs().get(0).name() + "' has " + rows);
      }
    }
    // A request larger than max-batch-size is not refused: it runs as a batch of its own (the element limits
    // already bound its size), as a client reading the dynamic dimension (-1) in the metadata expects.
    if (rows < 1 || rows > Integer.MAX_VALUE) {
      throw InferenceException.invalid("batch size " + rows + " (dimension 0) must be at least 1 for model '"
          + m.name() + "'");
    }
    return (int) rows;
  }

  private static TensorSpec find(List<TensorSpec> specs, String name) {
    for (TensorSpec s : specs) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).collect(Collectors.joining(", "));
  }
}
