package io.coedge.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a request needs: nothing ({@link #open}), or one of {@code anyOf} scopes and, when {@code model} is set,
 * that model on the caller's allow-list.
 */
public record Requirement(boolean open, Set<Scope> anyOf, String model) {

  public Requirement {
    anyOf = anyOf.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(anyOf));
  }

  public static final Requirement OPEN = new Requirement(true, Set.of(), null);

  public static Requirement anyOf(Scope... scopes) {
    return new Requirement(false, Set.of(scopes), null);
  }

  public Requirement onModel(String name) {
    return new Requirement(open, anyOf, name);
  }

  /**
   * Why {@code p} may not do this, or null when it may.
   */
  public String refusal(Principal p) {
    if (open) {
      return null;
    }
    if (anyOf.stream().noneMatch(p.scopes()::contains)) {
      return p.id() + " lacks the scope this needs (" + labels() + ")";
    }
    if (model != null && !p.mayUse(model)) {
      return p.id() + " may not use model '" + model + "'";
    }
    return null;
  }

  private String labels() {
    return String.join(" or ", anyOf.stream().sorted().map(Scope::label).toList());
  }
}
