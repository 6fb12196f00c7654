package dev.meshpilot.console;

public final class Meshpilot {
    public static void main(String[] args) {
    }
}
