using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AmiShare.Loader;

/// <summary>
/// The "AmiShare" load context: AmiShare.Engine and the AWSSDK copies it was built with load here from
/// the module's dependencies/ folder, so another module's AWSSDK.Core in the default context (AWS.Tools)
/// and ours never meet, whichever loads first. AmiShare.dll stays in the default context and reaches the
/// engine through <see cref="Register"/>.
/// </summary>
public sealed class EngineLoadContext : AssemblyLoadContext
{
    private const string EngineName = "AmiShare.Engine";
    private static readonly object s_gate = new();
    private static EngineLoadContext? s_context;
    private static int s_registrations;

    private readonly string _dependencyDir;

    private EngineLoadContext(string dependencyDir)
        : base("AmiShare", isCollectible: false) => _dependencyDir = dependencyDir;

    /// <summary>
    /// Answers the default context's failed lookups of AmiShare.Engine with the copy in
    /// <paramref name="dependencyDir"/>, loaded into this context. Counted: each call needs one <see cref="Unregister"/>.
    /// </summary>
    public static void Register(string dependencyDir)
    {
        lock (s_gate)
        {
            s_context ??= new EngineLoadContext(Path.GetFullPath(dependencyDir));
            if (s_registrations++ == 0) Default.Resolving += ResolveEngine;
        }
    }

    /// <summary>Undoes one <see cref="Register"/>; the last one unhooks the default context.</summary>
    public static void Unregister()
    {
        lock (s_gate)
        {
            if (s_registrations > 0 && --s_registrations == 0) Default.Resolving -= ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineName ? s_context!.LoadFromAssemblyName(name) : null;

    /// <summary>
    /// Our file from dependencies/, unless the runtime itself provides that assembly at the same or a
    /// higher version (System.Text.Json, System.Memory, … as netstandard2.0 packages): then null, and
    /// the default context's copy is used.
    /// </summary>
    protected override Assembly? Load(AssemblyName name)
    {
        string path = Path.Combine(_dependencyDir, name.Name + ".dll");
        if (!File.Exists(path) || RuntimeProvides(name.Name!, path)) return null;
        return LoadFromAssemblyPath(path);
    }

    private static bool RuntimeProvides(string simpleName, string ourPath)
    {
        // The AWS SDK and our own assemblies are never taken from the host, even when a host application
        // lists a copy among its trusted assemblies: that copy is exactly the conflict this context avoids.
        if (simpleName.StartsWith("AWSSDK.", StringComparison.OrdinalIgnoreCase) ||
            simpleName.StartsWith("AmiShare.", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        foreach (string candidate in tpa.Split(Path.PathSeparator))
        {
            if (string.Equals(Path.GetFileNameWithoutExtension(candidate), simpleName, StringComparison.OrdinalIgnoreCase))
            {
                return AssemblyName.GetAssemblyName(candidate).Version >= AssemblyName.GetAssemblyName(ourPath).Version;
            }
        }

        return false;
    }
}
