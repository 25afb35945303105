using System.Text;
using System.Text.RegularExpressions;

namespace AmiShare.Engine.Kms
{
    /// <summary>IAM's wildcard patterns (actions, condition values with ...Like operators).</summary>
    internal static class IamPattern
    {
        /// <summary>IAM wildcard pattern (* any run, ? one character) as a regex over the whole string.</summary>
        internal static Regex Glob(string pattern, bool ignoreCase)
        {
            var sb = new StringBuilder("^");
            foreach (char c in pattern ?? string.Empty)
            {
                sb.Append(c == '*' ? ".*" : c == '?' ? "." : Regex.Escape(c.ToString()));
            }

            sb.Append('$');
            return new Regex(sb.ToString(), (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        }
    }
}
