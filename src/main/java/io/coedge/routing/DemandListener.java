package io.coedge.routing;

/**
 * Hears the router's demand figures for the elastic scaler: every routed request, and every request refused
 * here (503) that policy would have let a cloud node take, had one been able to.
 */
public interface DemandListener {

  DemandListener NONE = new DemandListener() {
    @Override
    public void arrived(String model) {
    }

    @Override
    public void shed(String model) {
    }
  };

  void arrived(String model);

  void shed(String model);
}
