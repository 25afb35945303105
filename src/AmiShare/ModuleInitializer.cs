using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace AmiShare
{
    /// <summary>
    /// Runs when the module is imported. On Windows PowerShell 5.1 (.NET Framework) there are no binding
    /// redirects for powershell.exe, so the dependencies AmiShare ships (AWSSDK.*, System.Text.Json,
    /// System.Memory, …) can ask for a version of each other that differs from the copy beside them and fail
    /// to load. This resolver answers such a request with the copy in the module folder. On PowerShell 7 the
    /// runtime already probes the module folder, so nothing is registered there.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string s_folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location);

        /// <inheritdoc />
        public void OnImport()
        {
            if (IsNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
            }
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;
            }
        }

        private static bool IsNetFramework =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>The module-folder copy of a requested assembly, whatever version was asked for; null when we ship none.</summary>
        internal static string FindInModuleFolder(string folder, string assemblyFullName)
        {
            if (string.IsNullOrEmpty(folder) || string.IsNullOrEmpty(assemblyFullName))
            {
                return null;
            }

            string simpleName = new AssemblyName(assemblyFullName).Name;
            string path = Path.Combine(folder, simpleName + ".dll");
            return File.Exists(path) ? path : null;
        }

        private static Assembly ResolveFromModuleFolder(object sender, ResolveEventArgs args)
        {
            string path = FindInModuleFolder(s_folder, args.Name);
            return path == null ? null : Assembly.LoadFrom(path);
        }
    }
}
