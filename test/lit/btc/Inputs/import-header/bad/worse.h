union wrapped { char c }
