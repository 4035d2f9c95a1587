package dev.absorb.cli;

/** Whether absorb talks to a terminal, for progress lines that redraw themselves. */
final class Terminal {

    private Terminal() {
    }

    /**
     * JDK 22+ returns a Console even when redirected and says so with Console.isTerminal(), which
     * JDK 17 lacks: hence the reflective call.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }
}
