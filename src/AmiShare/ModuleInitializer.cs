using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace AmiShare
{
    /// <summary>
    /// Runs when the module is imported and removed. AmiShare.dll (this assembly, the cmdlets) is the only
    /// assembly in the module root; AmiShare.Engine, the AWSSDK copies it was built with and their
    /// dependencies live in dependencies/, where nothing finds them by default (design.md §10):
    /// <list type="bullet">
    /// <item>PowerShell 7 (.NET): dependencies/AmiShare.Loader.dll puts them in AmiShare's own
    /// AssemblyLoadContext, so another AWSSDK.Core in the session (AWS.Tools) and ours never meet.</item>
    /// <item>Windows PowerShell 5.1 (.NET Framework, no load contexts): an AssemblyResolve handler answers
    /// AmiShare's own requests from dependencies/, our AWSSDK.Core is loaded at import unless another one
    /// already is, and a cmdlet refuses to run on a foreign AWSSDK.Core (<see cref="AwsSdkConflict"/>).</item>
    /// </list>
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string LoaderType = "AmiShare.Loader.EngineLoadContext";

        /// <summary>The module root (the folder of AmiShare.dll).</summary>
        internal static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location);

        /// <summary>The module's dependencies/ folder.</summary>
        internal static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");

        /// <summary>True on .NET Framework (Windows PowerShell 5.1), which has no AssemblyLoadContext.</summary>
        internal static readonly bool IsNetFramework =
            typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext") == null;

        /// <inheritdoc />
        public void OnImport()
        {
            if (!IsNetFramework)
            {
                // The loader is ours alone (no other module ships AmiShare.Loader), so the default context is fine for it.
                InvokeLoader("Register", DependencyFolder);
                return;
            }

            AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencies;
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;

            // Load our AWSSDK.Core now, so a later import of AWS.Tools binds to it instead of bringing a second one.
            AwsSdkCheck check = AwsSdkConflict.CheckSession();
            if (check.Decision == AwsSdkDecision.NoneLoaded)
            {
                Assembly.LoadFrom(check.Ours.Location);
            }
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (!IsNetFramework)
            {
                InvokeLoader("Unregister");
                return;
            }

            AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencies;
        }

        private static void InvokeLoader(string method, params object[] arguments)
        {
            Assembly loader = Assembly.LoadFrom(Path.Combine(DependencyFolder, "AmiShare.Loader.dll"));
            loader.GetType(LoaderType, throwOnError: true).GetMethod(method).Invoke(null, arguments);
        }

        /// <summary>
        /// The dependencies/ copy of a requested assembly, whatever version was asked for (.NET Framework has no
        /// binding redirects for powershell.exe), when AmiShare asked for it: the requesting assembly lives in
        /// the module folder, or is unknown. Null otherwise, so other modules' requests are left to them.
        /// </summary>
        internal static string FindDependency(string dependencyFolder, string moduleFolder, string assemblyFullName, string requestingLocation)
        {
            if (string.IsNullOrEmpty(dependencyFolder) || string.IsNullOrEmpty(assemblyFullName))
            {
                return null;
            }

            if (!string.IsNullOrEmpty(requestingLocation) &&
                !Path.GetFullPath(requestingLocation).StartsWith(Path.GetFullPath(moduleFolder) + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            string path = Path.Combine(dependencyFolder, new AssemblyName(assemblyFullName).Name + ".dll");
            return File.Exists(path) ? path : null;
        }

        private static Assembly ResolveFromDependencies(object sender, ResolveEventArgs args)
        {
            Assembly requesting = args.RequestingAssembly;
            string requestingLocation = requesting == null || requesting.IsDynamic ? null : requesting.Location;
            string path = FindDependency(DependencyFolder, ModuleFolder, args.Name, requestingLocation);
            return path == null ? null : Assembly.LoadFrom(path);
        }
    }
}
