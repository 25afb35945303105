using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;

namespace AmiShare
{
    /// <summary>
    /// Windows PowerShell 5.1 only (.NET Framework has no AssemblyLoadContext): a process holds one
    /// AWSSDK.Core per assembly version, and every v4 release is 4.0.0.0. When another module (AWS.Tools)
    /// loaded a different build first, AmiShare's engine would bind to it and fail with MissingMethodException
    /// or TypeLoadException; cmdlets stop with the ErrorId <see cref="ErrorId"/> instead. On PowerShell 7 the
    /// two copies live in different load contexts and this never applies.
    /// </summary>
    public static class AwsSdkConflict
    {
        public const string ErrorId = "AwsSdkConflict";

        public const string Remedy =
            "Start a new Windows PowerShell session and import AmiShare before AWS.Tools (Import-Module AmiShare; Import-Module AWS.Tools.EC2), " +
            "or use PowerShell 7, where AmiShare and AWS.Tools work side by side in either order.";

        private const string CoreName = "AWSSDK.Core";

        /// <summary>
        /// The decision, pure: <paramref name="loaded"/> are the AWSSDK.Core assemblies in the session. Only a
        /// copy with our assembly version can stand in for ours (a v3 3.3.0.0 loads beside a v4 4.0.0.0).
        /// Ours loaded: fine. Else one with our file version: the same build, fine. Else any other: conflict.
        /// </summary>
        public static AwsSdkCheck Check(AwsSdkAssembly ours, IEnumerable<AwsSdkAssembly> loaded)
        {
            if (ours == null)
            {
                throw new ArgumentNullException(nameof(ours));
            }

            List<AwsSdkAssembly> same = (loaded ?? Enumerable.Empty<AwsSdkAssembly>()).Where(a => a != null && a.Version == ours.Version).ToList();
            if (same.Count == 0)
            {
                return new AwsSdkCheck(AwsSdkDecision.NoneLoaded, ours, null);
            }

            if (same.Any(a => SamePath(a.Location, ours.Location)))
            {
                return new AwsSdkCheck(AwsSdkDecision.Ours, ours, null);
            }

            AwsSdkAssembly sameBuild = same.FirstOrDefault(a => string.Equals(a.FileVersion, ours.FileVersion, StringComparison.Ordinal));
            return sameBuild != null
                ? new AwsSdkCheck(AwsSdkDecision.SameBuild, ours, sameBuild)
                : new AwsSdkCheck(AwsSdkDecision.Conflict, ours, same[0]);
        }

        /// <summary>Why the command cannot run: names the loaded AWSSDK.Core (file version, location) and ours.</summary>
        public static string Reason(AwsSdkAssembly ours, AwsSdkAssembly loaded)
        {
            string where = string.IsNullOrEmpty(loaded.Location) ? "loaded from memory" : "loaded from " + loaded.Location;
            return $"AmiShare cannot run in this Windows PowerShell session: another AWSSDK.Core (file version {loaded.FileVersion}, {where}), " +
                   $"usually from AWS.Tools, was loaded before AmiShare's own (file version {ours.FileVersion}, {ours.Location}). " +
                   $"Windows PowerShell holds one AWSSDK.Core {ours.Version} per session, and AmiShare's AWS calls fail on another build.";
        }

        /// <summary>The check for this session: our dependencies/AWSSDK.Core.dll against the AWSSDK.Core assemblies loaded now.</summary>
        internal static AwsSdkCheck CheckSession()
        {
            string path = Path.Combine(ModuleInitializer.DependencyFolder, CoreName + ".dll");
            var ours = new AwsSdkAssembly(AssemblyName.GetAssemblyName(path).Version, FileVersionInfo.GetVersionInfo(path).FileVersion, path);
            IEnumerable<AwsSdkAssembly> loaded = AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => string.Equals(a.GetName().Name, CoreName, StringComparison.OrdinalIgnoreCase))
                .Select(Describe);
            return Check(ours, loaded);
        }

        private static AwsSdkAssembly Describe(Assembly assembly)
        {
            string location = assembly.IsDynamic ? string.Empty : assembly.Location;
            string fileVersion = string.IsNullOrEmpty(location)
                ? (assembly.GetCustomAttributes(typeof(AssemblyFileVersionAttribute), false).FirstOrDefault() as AssemblyFileVersionAttribute)?.Version
                : FileVersionInfo.GetVersionInfo(location).FileVersion;
            return new AwsSdkAssembly(assembly.GetName().Version, fileVersion, location);
        }

        private static bool SamePath(string a, string b) =>
            !string.IsNullOrEmpty(a) && !string.IsNullOrEmpty(b) &&
            string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.OrdinalIgnoreCase);
    }
}
