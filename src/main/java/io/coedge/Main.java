package io.coedge;
public final class Main { public static void main(String[] a) {} }
