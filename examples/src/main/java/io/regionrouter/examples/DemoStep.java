package io.regionrouter.examples;

/** One section of the demo. A step prints what it does and returns whether its checks passed. */
interface DemoStep {

    /** The section's title. */
    String title();

    /**
      * Runs the step.
      *
      * @return {@code true} when every check of the step passed
      * @throws Exception any failure, which the demo reports as {@code FAIL}
      */
    boolean run(DemoContext context) throws Exception;
}
